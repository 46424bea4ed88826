import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../commandIds';
import { parallelFromSettings, type DownloadOptions } from '../core/download';
import { transportFor } from '../core/download/transportChoice';
import { formatBytes } from '../core/format/units';
import { readSetting, SettingKeys } from '../settings';
import { openFile, revealFile } from '../ui/files';
import { runGuarded } from '../ui/runGuarded';
import { s3ConnectionFor } from '../ui/s3Connection';
import { RecentDownloads, type DownloadEntry } from './recentDownloadsModel';
import { RecentDownloadsProvider } from './recentDownloadsProvider';

export { RecentDownloads, type DownloadEntry, type DownloadStatus, type FetchOptions } from './recentDownloadsModel';

/** What downloads use, read from the settings each time one starts: the transport (core decides) and parallel ranges. */
function downloadEngine(): Pick<DownloadOptions, 'transport' | 'parallel'> {
  return {
    transport: transportFor(vscode.workspace.getConfiguration('http').get<string>('proxy')),
    parallel: parallelFromSettings({
      parallelThresholdMegabytes: readSetting<number>(SettingKeys.fetchParallelThresholdMegabytes),
      connections: readSetting<number>(SettingKeys.fetchConnections),
      partSizeMegabytes: readSetting<number>(SettingKeys.fetchPartSizeMegabytes),
    }),
  };
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

/**
 * Recent Downloads: the model (persisted in workspaceState), the tree view and
 * its item commands (Open, Reveal in Explorer, Retry/Resume, Cancel, Copy
 * Redacted URL, Open Source Event, Remove from List, Delete File, Clear).
 * Returns the model: the fetch command and the listener's auto-fetch use it.
 */
export function registerRecentDownloads(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RecentDownloads {
  const model = new RecentDownloads(context.workspaceState, (scope) => s3ConnectionFor(context.secrets, scope), log, downloadEngine);
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
      runGuarded('Open Download', log, async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        if (!entry.path || !existsSync(entry.path)) {
          throw new Error(`${entry.fileName} is not on disk${entry.path ? ` any more (${entry.path})` : ' (the download did not finish)'}.`);
        }
        await openFile(entry.path);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.revealDownload,
      runGuarded('Reveal Download', log, async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        const path = entry.path && existsSync(entry.path) ? entry.path : entry.partPath && existsSync(entry.partPath) ? entry.partPath : undefined;
        await revealFile(path ?? entry.targetFolder);
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.retryDownload,
      runGuarded('Retry Download', log, async (arg: EntryArg) => {
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
      runGuarded('Cancel Download', log, (arg: EntryArg) => {
        model.cancel(entryOf(model, arg).id);
        return Promise.resolve();
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.copyDownloadUrl,
      runGuarded('Copy Redacted URL', log, async (arg: EntryArg) => {
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
      runGuarded('Open Source Event', log, async (arg: EntryArg) => {
        const entry = entryOf(model, arg);
        if (!entry.sourceUri) {
          throw new Error(`The event of ${entry.fileName} came from ${entry.sourceLabel}, not from a file.`);
        }
        await vscode.window.showTextDocument(vscode.Uri.parse(entry.sourceUri));
      }),
    ),
    vscode.commands.registerCommand(
      CommandIds.removeDownload,
      runGuarded('Remove from List', log, async (arg: EntryArg) => model.remove(entryOf(model, arg).id)),
    ),
    vscode.commands.registerCommand(
      CommandIds.deleteDownloadFile,
      runGuarded('Delete File', log, async (arg: EntryArg, options?: { confirmed?: boolean }) => {
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
      runGuarded('Clear Recent Downloads', log, async () => model.clear()),
    ),
  );
  return model;
}
