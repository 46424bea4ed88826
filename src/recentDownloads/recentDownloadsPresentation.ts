import type { DownloadEntry, DownloadStatus } from '../core/download/downloadEntry';
import { formatAgo } from '../core/format/duration';
import { formatBytes } from '../core/format/units';
import type { IconView, MarkdownPart } from '../core/present/markdownParts';

// What a Recent Downloads row shows, decided without the vscode API (plain unit tests);
// recentDownloadsProvider.ts only maps it to a TreeItem.

const icons: Record<DownloadStatus, IconView> = {
  inProgress: { id: 'loading~spin' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  expired: { id: 'watch', color: 'list.warningForeground' },
  cancelled: { id: 'circle-slash' },
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

/** The tooltip: status and name, the message, then one line per known fact. */
export function tooltipParts(entry: DownloadEntry): MarkdownPart[] {
  const parts: MarkdownPart[] = [
    { markdown: `**${statusWords[entry.status]}**${entry.status === 'inProgress' ? ` (${progressText(entry)})` : ''}: ` },
    { text: entry.fileName },
    { markdown: '\n\n' },
  ];
  if (entry.message) {
    parts.push({ text: entry.message }, { markdown: '\n\n' });
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
      parts.push({ markdown: `${name}: ` }, { text: value }, { markdown: '  \n' });
    }
  }
  return parts;
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

/** Everything a Recent Downloads row shows; `openPath`: the saved file a click opens (done only). */
export interface DownloadItemView {
  label: string;
  description: string;
  tooltip: MarkdownPart[];
  contextValue: string;
  icon: IconView;
  openPath?: string;
}

export function downloadItemView(entry: DownloadEntry, now = Date.now()): DownloadItemView {
  return {
    label: entry.fileName,
    description: describeEntry(entry, now),
    tooltip: tooltipParts(entry),
    contextValue: contextValueFor(entry),
    icon: icons[entry.status],
    openPath: entry.status === 'done' && entry.path ? entry.path : undefined,
  };
}
