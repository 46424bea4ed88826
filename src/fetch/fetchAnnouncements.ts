import * as vscode from 'vscode';
import type { DownloadEntry } from '../core/download/downloadEntry';
import { formatBytes } from '../core/format/units';
import type { DownloadQueue } from '../services';
import { openFile, revealFile } from '../ui/files';

/** Tells how a fetch went, without waiting for the user (the command resolves when the downloads end). */
export function announceFetched(entries: DownloadEntry[], downloads: DownloadQueue, log: vscode.LogOutputChannel): void {
  const saved = entries.filter((e) => e.status === 'done');
  if (saved.length === 1) {
    const e = saved[0];
    const folder = vscode.workspace.asRelativePath(e.targetFolder, false);
    void vscode.window.showInformationMessage(`Saved ${e.fileName} (${formatBytes(e.bytes)}) to ${folder}.`, 'Open', 'Reveal in Explorer').then(async (choice) => {
      if (choice === 'Open' && e.path) {
        await openFile(e.path);
      } else if (choice === 'Reveal in Explorer' && e.path) {
        await revealFile(e.path);
      }
    });
  } else if (saved.length > 1) {
    const folders = [...new Set(saved.map((e) => e.targetFolder))];
    const where = folders.length === 1 ? vscode.workspace.asRelativePath(folders[0], false) : `${folders.length} folders`;
    void vscode.window.showInformationMessage(`Saved ${saved.length} files to ${where}.`, 'Reveal in Explorer').then(async (choice) => {
      if (choice === 'Reveal in Explorer' && saved[0].path) {
        await revealFile(saved[0].path);
      }
    });
  }
  for (const e of entries.filter((x) => x.status === 'failed' || x.status === 'expired')) {
    const show = e.status === 'expired' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const actions = e.status === 'failed' ? ['Retry', 'Show Log'] : ['Show Log'];
    void show(`${e.fileName}: ${e.message ?? e.status}`, ...actions).then(async (choice) => {
      if (choice === 'Retry') {
        await downloads.retry(e.id);
      } else if (choice === 'Show Log') {
        log.show();
      }
    });
  }
  if (entries.length > 0 && entries.every((e) => e.status === 'cancelled')) {
    void vscode.window.setStatusBarMessage('Fetch cancelled.', 3000);
  }
}
