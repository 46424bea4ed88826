import * as vscode from 'vscode';

/** The configuration section every S3 Hooks setting lives under. */
export const SettingsSection = 's3Hooks';

/**
 * Setting keys, relative to {@link SettingsSection}. package.json's
 * `contributes.configuration` must declare exactly these (a unit test checks it).
 */
export const SettingKeys = {
  s3Region: 's3.region',
  s3Endpoint: 's3.endpoint',
  s3ForcePathStyle: 's3.forcePathStyle',
  awsProfile: 'aws.profile',
  presignDefaultBucket: 'presign.defaultBucket',
  presignKeyTemplate: 'presign.keyTemplate',
  presignExpirySeconds: 'presign.expirySeconds',
  listenerHost: 'listener.host',
  listenerPort: 'listener.port',
  listenerPublicUrl: 'listener.publicUrl',
  listenerMaxBodyMegabytes: 'listener.maxBodyMegabytes',
  listenerAnswerStatus: 'listener.answerStatus',
  listenerAutoFetch: 'listener.autoFetch',
  listenerAutoFetchHosts: 'listener.autoFetchHosts',
  listenerAutoFetchBuckets: 'listener.autoFetchBuckets',
  listenerAutoFetchMaxFileMegabytes: 'listener.autoFetchMaxFileMegabytes',
  listenerAutoFetchMegabytesPerHour: 'listener.autoFetchMegabytesPerHour',
  listenerSnsAutoConfirm: 'listener.snsAutoConfirm',
  listenerHistoryFolder: 'listener.historyFolder',
  listenerHistoryCap: 'listener.historyCap',
  listenerShowStatusBarItem: 'listener.showStatusBarItem',
  listenerForwardTo: 'listener.forwardTo',
  listenerAnswerMode: 'listener.answerMode',
  listenerAnswers: 'listener.answers',
  listenerRejectBadSignatures: 'listener.rejectBadSignatures',
  tunnelProgram: 'tunnel.program',
  tunnelCommand: 'tunnel.command',
  tunnelProgramPath: 'tunnel.programPath',
  fetchTargetFolder: 'fetch.targetFolder',
  fetchCodeLens: 'fetch.codeLens',
  fetchParallelThresholdMegabytes: 'fetch.parallelThresholdMegabytes',
  fetchConnections: 'fetch.connections',
  fetchPartSizeMegabytes: 'fetch.partSizeMegabytes',
} as const;

export type SettingKey = (typeof SettingKeys)[keyof typeof SettingKeys];

/** Reads one S3 Hooks setting, with the default declared in package.json. */
export function readSetting<T>(key: SettingKey, scope?: vscode.ConfigurationScope): T | undefined {
  return vscode.workspace.getConfiguration(SettingsSection, scope).get<T>(key);
}
