import * as vscode from 'vscode';
import type { PresignDefaults } from '../core/presign/commandArgs';
import { defaultAnalyticsSections } from '../core/presign/contentTypes';
import { maxExpirySeconds } from '../core/presign/expiry';
import { defaultKeyTemplate } from '../core/presign/keyTemplate';
import { readSetting, SettingKeys } from '../settings';
import type { LastAnswers } from './lastAnswers';

/** What the create flows collect; starts from the last answers and the settings. */
export interface FlowState {
  vendor: 'voicebase' | 'generic';
  bucket: string;
  key: string;
  keyTemplate: string;
  /** undefined: not asked yet; '': none signed. */
  contentType?: string;
  callbacks: string[];
  include: string[];
  expiresIn: number;
  role: string;
}

/** The resource whose settings apply: the active editor's file, else the first workspace folder. */
export function presignScope(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && vscode.workspace.getWorkspaceFolder(active)) {
    return active;
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Bucket, key template and expiry from the settings: what an argument object leaves out. */
export function presignDefaults(scope = presignScope()): PresignDefaults {
  const template = readSetting<string>(SettingKeys.presignKeyTemplate, scope) || defaultKeyTemplate;
  const expiry = readSetting<number>(SettingKeys.presignExpirySeconds, scope) ?? 86_400;
  return {
    bucket: readSetting<string>(SettingKeys.presignDefaultBucket, scope) || '',
    keyTemplate: template,
    expiresIn: Number.isInteger(expiry) && expiry >= 1 && expiry <= maxExpirySeconds ? expiry : 86_400,
  };
}

/** The flows' starting answers: the last ones given, else the settings. */
export function initialFlowState(last: LastAnswers): FlowState {
  const defaults = presignDefaults();
  return {
    vendor: last.vendor ?? 'voicebase',
    bucket: last.bucket ?? defaults.bucket,
    key: last.key ?? defaults.keyTemplate,
    keyTemplate: last.keyTemplate ?? defaults.keyTemplate,
    contentType: last.contentType,
    callbacks: last.callbacks ?? ['analytics', 'transcript:json'],
    include: last.include ?? [...defaultAnalyticsSections],
    expiresIn: last.expiresIn ?? defaults.expiresIn,
    role: last.role ?? '',
  };
}
