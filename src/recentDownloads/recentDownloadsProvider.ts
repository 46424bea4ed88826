import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { formatAgo } from '../core/format/duration';
import { formatBytes } from '../core/format/units';
import type { DownloadEntry, DownloadStatus, RecentDownloads } from './recentDownloadsModel';

const icons: Record<DownloadStatus, vscode.ThemeIcon> = {
  inProgress: new vscode.ThemeIcon('loading~spin'),
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  expired: new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

const statusWords: Record<DownloadStatus, string> = {
  inProgress: 'Downloading',
  done: 'Saved',
  failed: 'Failed',
  expired: 'Link expired',
  cancelled: 'Cancelled',
};

/** "42%" while the size is known, else the bytes so far. */
export function progressText(entry: DownloadEntry): string {
  if (entry.total && entry.total > 0) {
    return `${Math.floor((entry.bytes / entry.total) * 100)}%`;
  }
  return formatBytes(entry.bytes);
}

/** The item's description: size · relative time; percent and rate while downloading. */
export function describeEntry(entry: DownloadEntry, now = Date.now()): string {
  if (entry.status === 'inProgress') {
    const rate = entry.rate ? ` · ${formatBytes(Math.round(entry.rate))}/s` : '';
    return `${progressText(entry)}${entry.total ? ` of ${formatBytes(entry.total)}` : ''}${rate}`;
  }
  const size = entry.status === 'done' ? formatBytes(entry.bytes) : statusWords[entry.status].toLowerCase();
  return `${size} · ${formatAgo(entry.finishedAt ?? entry.startedAt, now)}`;
}

function tooltipFor(entry: DownloadEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${statusWords[entry.status]}**${entry.status === 'inProgress' ? ` (${progressText(entry)})` : ''}: `);
  md.appendText(entry.fileName);
  md.appendMarkdown('\n\n');
  if (entry.message) {
    md.appendText(entry.message);
    md.appendMarkdown('\n\n');
  }
  const rows: [string, string | undefined][] = [
    ['Source event', entry.sourceLabel + (entry.eventId ? ` (event ${entry.eventId})` : '')],
    ['URL', entry.redactedUrl],
    ['Object', entry.bucket && !entry.redactedUrl ? `s3://${entry.bucket}/${entry.key ?? ''}` : undefined],
    ['Local path', entry.path ?? (entry.partPath ? `${entry.partPath} (partial, can be resumed)` : undefined)],
    ['Size', entry.total ? formatBytes(entry.total) : entry.bytes ? formatBytes(entry.bytes) : undefined],
    ['Link expires', entry.expiresAt],
    ['Started', entry.startedAt],
  ];
  for (const [name, value] of rows) {
    if (value) {
      md.appendMarkdown(`${name}: `);
      md.appendText(value);
      md.appendMarkdown('  \n');
    }
  }
  return md;
}

/**
 * `contextValue`: `download.<status>` plus flags the menus match on
 * (`resumable`, `hasSource`, `hasUrl`, `hasFile`).
 */
export function contextValueFor(entry: DownloadEntry): string {
  const flags = [
    `download.${entry.status}`,
    entry.partPath ? 'resumable' : undefined,
    entry.sourceUri ? 'hasSource' : undefined,
    entry.redactedUrl ? 'hasUrl' : undefined,
    entry.status === 'done' && entry.path ? 'hasFile' : undefined,
  ];
  return flags.filter(Boolean).join(' ');
}

/** Maps the Recent Downloads model to tree items, newest first. */
export class RecentDownloadsProvider implements vscode.TreeDataProvider<DownloadEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DownloadEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: RecentDownloads) {
    this.subscription = model.onDidChange((entry) => this.changed.fire(entry));
  }

  getChildren(element?: DownloadEntry): DownloadEntry[] {
    return element ? [] : [...this.model.list()];
  }

  getTreeItem(entry: DownloadEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.fileName, vscode.TreeItemCollapsibleState.None);
    item.id = entry.id;
    item.iconPath = icons[entry.status];
    item.description = describeEntry(entry);
    item.tooltip = tooltipFor(entry);
    item.contextValue = contextValueFor(entry);
    if (entry.status === 'done' && entry.path) {
      item.resourceUri = vscode.Uri.file(entry.path);
      item.command = { command: CommandIds.openDownload, title: 'Open', arguments: [entry] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
