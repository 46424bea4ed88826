import * as vscode from 'vscode';

/**
 * The one "S3 Hooks" log channel. Everything that writes to it must pass URLs
 * through core's redaction first: presigned URLs are bearer credentials.
 */
export function createExtensionLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('S3 Hooks', { log: true });
}
