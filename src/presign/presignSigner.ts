import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { SingleUploadOptions } from '../core/presign/singleUpload';
import { buildSingleUpload } from '../core/presign/singleUpload';
import { PresignError } from '../core/presign/upload';
import { buildVoiceBaseCallbacks, type VoiceBaseCallbackOptions } from '../core/presign/voicebase';
import { redactUrlsInText } from '../core/redact';
import { s3ConnectionFor } from '../ui/s3Connection';
import { SettingsSection } from '../settings';
import { presignScope } from './flowState';
import { presentPresignResult, type PresignCommandResult } from './resultPresenter';
import { errorText } from '../core/errorText';

/**
 * Signs what a create command collected with core's presigner and presents the
 * result; a failure is shown (with a way out for missing credentials) and
 * logged, never thrown.
 */
export class PresignSigner {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** One presigned PUT URL in the generic `{ url, method, headers, expiresAt }` form. */
  single(options: () => SingleUploadOptions): Promise<PresignCommandResult | undefined> {
    return this.guard(async () => {
      const connection = await s3ConnectionFor(this.secrets, presignScope());
      const result = await this.withProgress(() => buildSingleUpload(connection, options()));
      const u = result.upload;
      return presentPresignResult(
        'Presigned PUT URL',
        result.json,
        [{ label: 'upload', bucket: u.bucket, key: u.key, url: u.url, headers: u.headers, expiresAt: u.expiresAt, curl: result.curl }],
        result.warnings,
        this.log,
      );
    });
  }

  /** VoiceBase v3 `publish.callbacks`, one presigned PUT URL per callback. */
  voiceBase(options: () => VoiceBaseCallbackOptions): Promise<PresignCommandResult | undefined> {
    return this.guard(async () => {
      const connection = await s3ConnectionFor(this.secrets, presignScope());
      const result = await this.withProgress(() => buildVoiceBaseCallbacks(connection, options()));
      return presentPresignResult(
        'VoiceBase callback JSON',
        result.json,
        result.callbacks.map((c) => ({
          label: c.label,
          bucket: c.upload.bucket,
          key: c.key,
          url: c.upload.url,
          headers: c.upload.headers,
          expiresAt: c.upload.expiresAt,
          curl: c.curl,
        })),
        result.warnings,
        this.log,
      );
    });
  }

  private withProgress<T>(task: () => Promise<T>): Thenable<T> {
    // Resolving credentials can take a while (SSO, instance metadata): show that something happens.
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'S3 Hooks: signing…' }, task);
  }

  private async guard(task: () => Promise<PresignCommandResult>): Promise<PresignCommandResult | undefined> {
    try {
      return await task();
    } catch (err) {
      const message = redactUrlsInText(errorText(err));
      this.log.error(`Presigning failed: ${message}`);
      if (err instanceof PresignError && err.kind === 'credentials') {
        const setKeys = 'Set S3 Access Keys…';
        const settings = 'Open Settings';
        void vscode.window
          .showErrorMessage(`${message} Save keys with "S3 Hooks: Set S3 Access Keys…", or choose a profile in the s3Hooks.aws.profile setting.`, setKeys, settings)
          .then((choice) => {
            if (choice === setKeys) {
              void vscode.commands.executeCommand(CommandIds.setAccessKeys);
            } else if (choice === settings) {
              void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:s3-hooks.s3-hooks ${SettingsSection}.`);
            }
          });
      } else {
        void vscode.window.showErrorMessage(err instanceof PresignError ? message : `Could not create the presigned URL: ${message}`);
      }
      return undefined;
    }
  }
}
