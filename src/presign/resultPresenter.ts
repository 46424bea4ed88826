import * as vscode from 'vscode';
import { formatInstant } from '../core/presign/expiry';
import type { PresignWarning } from '../core/presign/upload';
import { redactUrl } from '../core/redact';
import { rememberSignedType } from './signedUrls';
import { testUploadsInteractively, type UploadToTest } from './testUploadCommand';

/** One presigned URL of a result, with what the user needs to try it. */
export interface PresentedUpload extends UploadToTest {
  /** "transcript (srt)" or "upload". */
  label: string;
  bucket: string;
  key: string;
  expiresAt: Date;
  /** The curl command that uploads like the vendor will (contains the URL: shown to the user, never logged). */
  curl: string;
}

/** What the create commands return to a caller (tests, keybindings, other extensions). */
export interface PresignCommandResult {
  /** The untitled JSON document the result was opened in. */
  document: vscode.Uri;
  /** Exactly the document's JSON. */
  json: unknown;
  warnings: string[];
  /** One curl command per URL. */
  curl: string[];
}

function curlScript(uploads: readonly PresentedUpload[]): string {
  return uploads.map((u) => `# ${u.label} → s3://${u.bucket}/${u.key}\n${u.curl}\n`).join('');
}

/**
 * Opens a presign result as an untitled JSON document, logs it with redacted
 * URLs, shows every warning (never hidden), and offers Copy to Clipboard,
 * Copy curl Commands and Test Upload. Does not wait for the notifications,
 * so argument-driven callers get the result at once.
 */
export async function presentPresignResult(
  what: string,
  json: unknown,
  uploads: readonly PresentedUpload[],
  warnings: readonly PresignWarning[],
  log: vscode.LogOutputChannel,
): Promise<PresignCommandResult> {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: text });
  await vscode.window.showTextDocument(document, { preview: false });

  for (const u of uploads) {
    rememberSignedType(u.url, u.headers['Content-Type']);
    const type = u.headers['Content-Type'] ? `Content-Type ${u.headers['Content-Type']}` : 'no Content-Type signed';
    log.info(`${what}: ${u.label} → s3://${u.bucket}/${u.key} (${type}, expires ${formatInstant(u.expiresAt)}): ${redactUrl(u.url)}`);
  }
  for (const w of warnings) {
    log.warn(w.message);
    void vscode.window.showWarningMessage(w.message);
  }

  const expiresAt = uploads.reduce((a, u) => (u.expiresAt < a ? u.expiresAt : a), uploads[0].expiresAt);
  // "Presigned PUT URL for s3://bucket/key, valid until …" / "VoiceBase callback JSON: 3 presigned PUT URLs, valid until …"
  const summary = uploads.length === 1 ? `${what} for s3://${uploads[0].bucket}/${uploads[0].key}` : `${what}: ${uploads.length} presigned PUT URLs`;
  const copyJson = 'Copy to Clipboard';
  const copyCurl = uploads.length === 1 ? 'Copy curl Command' : 'Copy curl Commands';
  const test = 'Test Upload';
  void vscode.window
    .showInformationMessage(`${summary}, valid until ${formatInstant(expiresAt)}.`, copyJson, copyCurl, test)
    .then(async (choice) => {
      if (choice === copyJson) {
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage('$(check) Copied the JSON to the clipboard', 3000);
      } else if (choice === copyCurl) {
        await vscode.env.clipboard.writeText(curlScript(uploads));
        void vscode.window.setStatusBarMessage('$(check) Copied the curl commands to the clipboard', 3000);
      } else if (choice === test) {
        await testUploadsInteractively(uploads, log);
      }
    });

  return { document: document.uri, json, warnings: warnings.map((w) => w.message), curl: uploads.map((u) => u.curl) };
}
