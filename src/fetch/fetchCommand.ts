import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { referencesFromText, sameJsonPath, type FileReference } from '../core/events';
import { formatBytes } from '../core/format/units';
import type { DownloadEntry } from '../core/download/downloadEntry';
import { describeExpiry } from '../core/format/duration';
import type { DownloadQueue } from '../services';
import { readSetting, SettingKeys } from '../settings';
import { announceFetched } from './fetchAnnouncements';
import { eventSources, type EventSource, type FetchArg, type FetchFromEventArgs } from './fetchSources';

export type { FetchFromEventArgs } from './fetchSources';

interface Candidate {
  ref: FileReference;
  source: EventSource;
}

/**
 * `S3 Hooks: Fetch File from Event JSON`: finds what the event(s) point at,
 * asks which when there are several, and downloads them through Recent
 * Downloads with a cancellable progress notification.
 */
export class FetchFromEventCommand {
  constructor(
    private readonly downloads: DownloadQueue,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Resolves with the finished downloads (empty when nothing was fetched). */
  async run(arg?: FetchArg, selection?: vscode.Uri[]): Promise<DownloadEntry[]> {
    const options: FetchFromEventArgs = arg instanceof vscode.Uri || typeof arg === 'string' || arg === undefined ? {} : arg;
    const sources = await eventSources(arg, selection);
    if (sources.length === 0) {
      return [];
    }
    const candidates: Candidate[] = [];
    for (const source of sources) {
      const found = referencesFromText(source.text);
      if (!found.ok) {
        void this.showSyntaxError(source, found.error.message, found.error.line, found.error.column);
        continue;
      }
      const refs = options.jsonPath ? found.references.filter((r) => sameJsonPath(r.jsonPath, options.jsonPath)) : found.references;
      candidates.push(...refs.map((ref) => ({ ref, source })));
    }
    if (candidates.length === 0) {
      if (sources.length > 0) {
        const where = sources.map((s) => s.label).join(', ');
        void vscode.window.showWarningMessage(
          `${where} points at no file: no presigned URL, Klavi presignedUrl, VoiceBase streamLocation or S3 notification record was found.`,
        );
      }
      return [];
    }
    const chosen = candidates.length > 1 && !options.all ? await this.pick(candidates) : candidates;
    if (!chosen || chosen.length === 0) {
      return [];
    }
    const targets: string[] = [];
    for (const c of chosen) {
      const folder = await this.targetFolder(c.source.uri, options.targetFolder);
      if (!folder) {
        return [];
      }
      targets.push(folder);
    }
    return this.download(chosen, targets);
  }

  private async showSyntaxError(source: EventSource, message: string, line: number, column: number): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`${source.label}: ${message}`, ...(source.uri ? ['Go to Error'] : []));
    if (choice === 'Go to Error' && source.uri) {
      const position = new vscode.Position(line - 1, column - 1);
      await vscode.window.showTextDocument(source.uri, { selection: new vscode.Range(position, position) });
    }
  }

  private async pick(candidates: Candidate[]): Promise<Candidate[] | undefined> {
    const now = Date.now();
    const items = candidates.map((c) => {
      const expired = c.ref.expiresAt !== undefined && Date.parse(c.ref.expiresAt) <= now;
      const expiry = c.ref.expiresAt ? describeExpiry(new Date(c.ref.expiresAt), now) : undefined;
      return {
        label: c.ref.suggestedName,
        description: [c.ref.label.replace(/^.*? \(/, '').replace(/\)$/, ''), expiry].filter(Boolean).join(' · '),
        detail: c.ref.redactedUrl ?? `s3://${c.ref.bucket}/${c.ref.key ?? ''}`,
        picked: !expired,
        candidate: c,
      };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Fetch which files? (${candidates.length} found)`,
      canPickMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    return picked?.map((p) => p.candidate);
  }

  /**
   * Fetches references without asking anything (the webhook listener's Fetch
   * File and auto-fetch): into the configured folder, progress in Recent
   * Downloads only. Throws when no folder is open to save into.
   */
  async fetchInBackground(refs: FileReference[], source: { label: string; uri?: vscode.Uri }, folderOverride?: string, maxBytes?: number): Promise<DownloadEntry[]> {
    const folder = folderOverride ?? (await this.targetFolder(source.uri, undefined, false));
    if (!folder) {
      throw new Error('No folder is open to save fetched files into: open a folder or set s3Hooks.fetch.targetFolder to an absolute path.');
    }
    const entries: DownloadEntry[] = [];
    for (const ref of refs) {
      entries.push(await this.downloads.fetchReference(ref, { targetFolder: folder, source: { uri: source.uri?.toString(), label: source.label }, maxBytes }));
    }
    return entries;
  }

  /** The folder to save into: the argument or the setting, relative to the event's workspace folder (asks when there is none). */
  private async targetFolder(sourceUri: vscode.Uri | undefined, override?: string, ask = true): Promise<string | undefined> {
    const setting = override ?? readSetting<string>(SettingKeys.fetchTargetFolder, sourceUri) ?? 's3-downloads';
    if (isAbsolute(setting)) {
      return setting;
    }
    const folder = (sourceUri && vscode.workspace.getWorkspaceFolder(sourceUri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (folder && folder.uri.scheme === 'file') {
      return join(folder.uri.fsPath, setting || 's3-downloads');
    }
    if (!ask) {
      return undefined;
    }
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Save Here',
      title: 'No folder is open: where should fetched files go?',
    });
    return chosen?.[0]?.fsPath;
  }

  private async download(chosen: Candidate[], targets: string[]): Promise<DownloadEntry[]> {
    const title = chosen.length === 1 ? `Fetching ${chosen[0].ref.suggestedName}` : `Fetching ${chosen.length} files`;
    const entries = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        const done: DownloadEntry[] = [];
        const share = 100 / chosen.length;
        try {
          for (const [i, c] of chosen.entries()) {
            if (controller.signal.aborted) {
              break;
            }
            let reported = 0;
            const prefix = chosen.length > 1 ? `${i + 1}/${chosen.length} ${c.ref.suggestedName}: ` : '';
            progress.report({ message: `${prefix}connecting…` });
            const entry = await this.downloads.fetchReference(c.ref, {
              targetFolder: targets[i],
              source: { uri: c.source.uri?.toString(), label: c.source.label },
              signal: controller.signal,
              onProgress: (p) => {
                const fraction = p.total ? Math.min(1, p.bytes / p.total) : 0;
                const increment = fraction * share - reported;
                reported += Math.max(0, increment);
                const percent = p.total ? ` (${Math.floor(fraction * 100)}%)` : '';
                progress.report({
                  increment: increment > 0 ? increment : undefined,
                  message: `${prefix}${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}${percent} · ${formatBytes(Math.round(p.rate))}/s`,
                });
              },
            });
            done.push(entry);
          }
        } finally {
          cancel.dispose();
        }
        return done;
      },
    );
    announceFetched(entries, this.downloads, this.log);
    return entries;
  }
}
