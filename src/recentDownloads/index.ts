import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import type { HttpTransport } from '../core/download';
import { formatBytes } from '../core/format/units';
import { s3ConnectionFor } from '../s3/s3Connection';
import { RecentDownloads, type DownloadEntry } from './recentDownloadsModel';
import { RecentDownloadsProvider } from './recentDownloadsProvider';

export { RecentDownloads, type DownloadEntry, type DownloadStatus, type FetchOptions } from './recentDownloadsModel';

/**
 * node:http when VS Code or the environment names a proxy (VS Code's proxy
 * support hooks node:http), else the faster fixed-buffer socket transport.
 */
export function transportForDownloads(): HttpTransport {
  const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy');
  const env = process.env;
  return proxy || env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy ? 'node' : 'socket';
}

type EntryArg = DownloadEntry | { id: string } | string | undefined;

/** A tree item, an `{ id }` object or an id string (tests, keybindings) → the entry. */
function entryOf(model: RecentDownloads, arg: EntryArg): DownloadEntry {
  const id = typeof arg === 'string' ? arg : arg?.id;
  const entry = id ? model.get(id) : undefined;
  if (!entry) {
    throw new Error('Pick a download in the Recent Downloads view.');
  }
  return entry;
}

/** Runs a command body, turning thrown errors into an error notification. */
function guarded<A extends unknown[]>(body: (...args: A) => Promise<unknown>): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };
}

/** Reveals a file in the Explorer when it is in the workspace, else in the operating system's file manager. */
export async function revealFile(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  } else {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  }
}

/** Opens a downloaded file in VS Code (binary files get VS Code's own "open anyway" choice). */
export async function openFile(path: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path));
}

/**
 * Recent Downloads: the model (persisted in workspaceState), the tree view and
 * its item commands (Open, Reveal in Explorer, Retry/Resume, Cancel, Copy
 * Redacted URL, Open Source Event, Remove from List, Delete File, Clear).
 * Returns the model: the fetch command and the listener's auto-fetch use it.
 */
export function registerRecentDownloads(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RecentDownloads {
  const model = new RecentDownloads(context.workspaceState, (scope) => s3ConnectionFor(context.secrets, scope), log, transportForDownloads);
  const provider = new RecentDownloadsProvider(model);
  const view = vscode.window.createTreeView(ViewIds.recentDownloads, { treeDataProvider: provider, showCollapseAll: false });
  const updateBadge = () => {
    const running = model.list().filter((e) => e.status === 'inProgress').length;
    view.badge = running > 0 ? { value: running, tooltip: `${running} download${running === 1 ? '' : 's'} in progress` } : undefined;
  };
  updateBadge();

  context.subscriptions.push(
    model,
    provider,
    view,
    model.onDidChange((entry) => {
      if (!entry || entry.status !== 'inProgress') {
        updateBadge();
      }
    }),

    vscode.commands.registerCommand(
      CommandIds.openDownload,
      guarded(async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        if (!entry.path || !existsSync(entry.path)) {
          throw new Error(`${entry.fileName} is not on disk${entry.path ? ` any more (${entry.path})` : ' (the download did not finish)'}.`);
        }
        await openFile(entry.path);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.revealDownload,
      guarded(async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        const path = entry.path && existsSync(entry.path) ? entry.path : entry.partPath && existsSync(entry.partPath) ? entry.partPath : undefined;
        await revealFile(path ?? entry.targetFolder);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.retryDownload,
      guarded(async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        const result = await model.retry(entry.id);
        if (result.status === 'done') {
          void vscode.window.showInformationMessage(`Saved ${result.fileName} (${formatBytes(result.bytes)}).`);
        } else if (result.message) {
          void vscode.window.showErrorMessage(`${result.fileName}: ${result.message}`);
        }
        return result;
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.cancelDownload,
      guarded((arg: EntryArg) => {
        model.cancel(entryOf(model, arg).id);
        return Promise.resolve();
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.copyDownloadUrl,
      guarded(async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        const text = entry.redactedUrl ?? (entry.bucket ? `s3://${entry.bucket}/${entry.key ?? ''}` : undefined);
        if (!text) {
          throw new Error('This download has no URL.');
        }
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage('Copied the URL (signature redacted).', 3000);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.openDownloadSource,
      guarded(async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        if (!entry.sourceUri) {
          throw new Error(`The event of ${entry.fileName} came from ${entry.sourceLabel}, not from a file.`);
        }
        await vscode.window.showTextDocument(vscode.Uri.parse(entry.sourceUri));
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.removeDownload,
      guarded(async (arg: EntryArg) => model.remove(entryOf(model, arg).id)),
    ),
    vscode.commands.registerCommand(
      CommandIds.deleteDownloadFile,
      guarded(async (arg: EntryArg, options?: { confirmed?: boolean }) => {
        const entry = entryOf(model, arg);
        if (!entry.path) {
          await model.remove(entry.id);
          return;
        }
        if (!options?.confirmed) {
          const answer = await vscode.window.showWarningMessage(
            `Delete ${entry.fileName} from disk?`,
            { modal: true, detail: entry.path },
            'Delete File',
          );
          if (answer !== 'Delete File') {
            return;
          }
        }
        await model.deleteFile(entry.id);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.clearRecentDownloads,
      guarded(async () => model.clear()),
    ),
  );
  return model;
}
