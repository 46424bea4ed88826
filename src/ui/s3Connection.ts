import * as vscode from 'vscode';
import type { S3Connection } from '../core/s3/connection';
import { readSetting, SettingKeys } from '../settings';

/** SecretStorage key under which `S3 Hooks: Set S3 Access Keys…` keeps keys for S3-compatible services. */
export const accessKeysSecretKey = 's3Hooks.s3.accessKeys';

interface StoredKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Reads keys saved in SecretStorage, if any. */
export async function readStoredKeys(secrets: vscode.SecretStorage): Promise<StoredKeys | undefined> {
  const raw = await secrets.get(accessKeysSecretKey);
  if (!raw) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<StoredKeys>;
    return parsed.accessKeyId && parsed.secretAccessKey ? (parsed as StoredKeys) : undefined;
  } catch {
    return undefined;
  }
}

/** Saves keys in SecretStorage (never settings.json); `undefined` forgets them. */
export async function storeKeys(secrets: vscode.SecretStorage, keys: StoredKeys | undefined): Promise<void> {
  if (keys) {
    await secrets.store(accessKeysSecretKey, JSON.stringify(keys));
  } else {
    await secrets.delete(accessKeysSecretKey);
  }
}

/**
 * The S3 connection for a workspace resource: region, endpoint, path style and
 * profile from settings; keys from SecretStorage when saved there, else the
 * standard AWS credential chain.
 */
export async function s3ConnectionFor(secrets: vscode.SecretStorage, scope?: vscode.Uri): Promise<S3Connection> {
  const keys = await readStoredKeys(secrets);
  return {
    region: readSetting<string>(SettingKeys.s3Region, scope) || 'us-east-1',
    endpoint: readSetting<string>(SettingKeys.s3Endpoint, scope) || undefined,
    forcePathStyle: readSetting<boolean>(SettingKeys.s3ForcePathStyle, scope) ?? false,
    profile: readSetting<string>(SettingKeys.awsProfile, scope) || undefined,
    credentials: keys,
  };
}
