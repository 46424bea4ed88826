import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { DownloadError, DownloadOptions } from '../core/download';
import { discardPart } from '../core/download/partLedger';
import { findFileReferences, parseEventJson, readReferenceShape, sameJsonPath, type FileReference } from '../core/events';
import type { S3Connection } from '../core/s3/connection';

import type { DownloadEntry, DownloadStatus, FetchOptions } from '../core/download/downloadEntry';
import { errorText } from '../core/errorText';

export type { DownloadEntry, DownloadStatus, FetchOptions } from '../core/download/downloadEntry';

/** Key of the persisted list in workspaceState (plain JSON array, newest first). */
export const recentDownloadsStateKey = 's3Hooks.recentDownloads.v1';
/** At most this many entries are kept. */
export const recentDownloadsCap = 200;

/** `known`: the error when it is the downloader's DownloadError (checked against the loaded downloader's class). */
function statusOf(err: unknown, known: DownloadError | undefined): { status: DownloadStatus; message: string } {
  if (known) {
    const status: DownloadStatus = known.kind === 'expired' ? 'expired' : known.kind === 'cancelled' ? 'cancelled' : 'failed';
    return { status, message: known.message };
  }
  return { status: 'failed', message: errorText(err) };
}

/**
 * The Recent Downloads model: owns the list (persisted, capped), runs
 * downloads through core's downloader and fires `onDidChange` as they
 * progress. The tree provider, the fetch command and the webhook listener's
 * auto-fetch all go through it.
 */
export class RecentDownloads implements vscode.Disposable {
  private entries: DownloadEntry[];
  /** Full references (with their signed URLs) of this session, for Retry; never persisted. */
  private readonly references = new Map<string, FileReference>();
  private readonly running = new Map<string, AbortController>();
  private readonly changed = new vscode.EventEmitter<DownloadEntry | undefined>();
  /** Fires with the entry that changed, or undefined when the list did. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly connectionFor: (scope?: vscode.Uri) => Promise<S3Connection>,
    private readonly log: vscode.LogOutputChannel,
    /** Transport and parallel ranges, read from the settings at each download. */
    private readonly engine: () => Pick<DownloadOptions, 'transport' | 'parallel'> = () => ({}),
  ) {
    const saved = state.get<DownloadEntry[]>(recentDownloadsStateKey, []);
    // A download that was running when the window closed did not finish: offer Resume.
    // Entries stored by earlier versions spell shapes differently ('s3-records'): read them as today's.
    this.entries = (Array.isArray(saved) ? saved : []).map((stored) => {
      const e = { ...stored, shape: readReferenceShape(stored.shape) ?? 'presignedUrl' };
      return e.status === 'inProgress' ? { ...e, status: 'failed', message: 'Interrupted when VS Code closed. Retry resumes it.', rate: undefined } : e;
    });
  }

  /** All entries, newest first. */
  list(): readonly DownloadEntry[] {
    return this.entries;
  }

  get(id: string): DownloadEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /**
   * Downloads what a reference points at into `targetFolder`, as a new entry at
   * the top of the list. Resolves with the finished entry (done, failed,
   * expired or cancelled); it does not reject for download failures.
   */
  async fetchReference(ref: FileReference, options: FetchOptions): Promise<DownloadEntry> {
    const entry: DownloadEntry = {
      id: randomUUID(),
      status: 'inProgress',
      fileName: ref.suggestedName,
      targetFolder: options.targetFolder,
      bytes: 0,
      total: ref.size,
      shape: ref.shape,
      redactedUrl: ref.redactedUrl,
      bucket: ref.bucket,
      key: ref.key,
      eventId: ref.eventId,
      expiresAt: ref.expiresAt,
      sourceUri: options.source?.uri,
      sourceLabel: options.source?.label ?? (options.source?.uri ? basename(vscode.Uri.parse(options.source.uri).path) : 'pasted JSON'),
      jsonPath: ref.jsonPath,
      startedAt: new Date().toISOString(),
    };
    this.references.set(entry.id, ref);
    this.entries.unshift(entry);
    this.trim();
    this.changed.fire(undefined);
    return this.run(entry, ref, options);
  }

  /** Fetches again (resuming a kept `.part` file when there is one). Finds the reference again in the source event after a reload. */
  async retry(id: string, options: Pick<FetchOptions, 'signal' | 'onProgress'> = {}): Promise<DownloadEntry> {
    const entry = this.get(id);
    if (!entry) {
      throw new Error('This download is no longer in the list.');
    }
    if (entry.status === 'inProgress') {
      return entry;
    }
    const ref = this.references.get(id) ?? (await this.findAgain(entry));
    this.references.set(id, ref);
    Object.assign(entry, { status: 'inProgress', message: undefined, finishedAt: undefined, startedAt: new Date().toISOString() });
    this.move(entry);
    return this.run(entry, ref, { targetFolder: entry.targetFolder, source: { uri: entry.sourceUri, label: entry.sourceLabel }, ...options });
  }

  /** Stops a running download (its `.part` file is removed). */
  cancel(id: string): void {
    this.running.get(id)?.abort();
  }

  /** Removes an entry from the list (a kept `.part` file goes with it; a saved file stays). */
  async remove(id: string): Promise<void> {
    const entry = this.get(id);
    if (!entry) {
      return;
    }
    this.cancel(id);
    if (entry.partPath && entry.status !== 'done') {
      await discardPart(entry.partPath);
    }
    this.entries = this.entries.filter((e) => e.id !== id);
    this.references.delete(id);
    await this.save();
    this.changed.fire(undefined);
  }

  /** Deletes the saved file and removes the entry. */
  async deleteFile(id: string): Promise<void> {
    const entry = this.get(id);
    if (entry?.path) {
      await rm(entry.path, { force: true });
    }
    await this.remove(id);
  }

  /** Empties the list (running downloads are cancelled; saved files stay). */
  async clear(): Promise<void> {
    for (const id of this.running.keys()) {
      this.cancel(id);
    }
    this.entries = [];
    this.references.clear();
    await this.save();
    this.changed.fire(undefined);
  }

  private async findAgain(entry: DownloadEntry): Promise<FileReference> {
    if (!entry.sourceUri) {
      throw new Error('The link of this download was not kept after VS Code restarted (signed URLs are not stored). Fetch it again from its event.');
    }
    const uri = vscode.Uri.parse(entry.sourceUri);
    let text: string;
    try {
      text = uri.scheme === 'file' ? await readFile(uri.fsPath, 'utf8') : (await vscode.workspace.openTextDocument(uri)).getText();
    } catch {
      throw new Error(`The source event ${entry.sourceLabel} cannot be read any more.`);
    }
    const parsed = parseEventJson(text);
    const ref = parsed.ok ? findFileReferences(parsed.value).find((r) => sameJsonPath(r.jsonPath, entry.jsonPath)) : undefined;
    if (!ref) {
      throw new Error(`The source event ${entry.sourceLabel} no longer points at this file.`);
    }
    return ref;
  }

  private async run(entry: DownloadEntry, ref: FileReference, options: FetchOptions): Promise<DownloadEntry> {
    const controller = new AbortController();
    this.running.set(entry.id, controller);
    const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
    await this.save();
    const resume = entry.partPath ? { partPath: entry.partPath, etag: entry.etag, lastModified: entry.lastModified } : undefined;
    this.log.info(`Fetching ${entry.fileName} from ${entry.redactedUrl ?? `s3://${entry.bucket}/${entry.key}`} into ${entry.targetFolder}${resume ? ' (resuming)' : ''}`);
    // The downloader (and the AWS SDK with it) is loaded by the first fetch, not at start-up; its
    // DownloadError class comes from the same load, so that `instanceof` sees the class it throws.
    let downloadErrorClass: typeof DownloadError | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const core = require('../core/download') as typeof import('../core/download');
      downloadErrorClass = core.DownloadError;
      const result = await core.fetchReference(ref, {
        targetFolder: options.targetFolder,
        connection: () => this.connectionFor(entry.sourceUri ? vscode.Uri.parse(entry.sourceUri) : undefined),
        signal,
        resume,
        maxBytes: options.maxBytes,
        ...this.engine(),
        // Cancel keeps what arrived: Retry / Resume continues it, Remove from List deletes it.
        keepPartOnCancel: true,
        onProgress: (p) => {
          entry.bytes = p.bytes;
          entry.total = p.total ?? entry.total;
          entry.rate = p.rate;
          this.changed.fire(entry);
          options.onProgress?.(p);
        },
        onRequest: ({ attempt, range }) => {
          if (attempt > 1) {
            this.log.info(`Fetching ${entry.fileName}: attempt ${attempt}${range ? ` (resuming at ${range})` : ''}`);
          }
        },
      });
      Object.assign(entry, {
        status: 'done',
        path: result.path,
        fileName: result.fileName,
        bytes: result.bytes,
        total: result.bytes,
        etag: result.etag,
        partPath: undefined,
        message: undefined,
      });
      this.log.info(`Saved ${result.path} (${result.bytes} bytes, ${result.attempts} request(s), ${Math.round(result.durationMs)} ms)`);
    } catch (err) {
      const known = downloadErrorClass && err instanceof downloadErrorClass ? err : undefined;
      const { status, message } = statusOf(err, known);
      const kept = known?.details;
      Object.assign(entry, {
        status,
        message,
        partPath: kept?.partPath,
        etag: kept?.partPath ? kept.etag : undefined,
        lastModified: kept?.partPath ? kept.lastModified : undefined,
      });
      if (kept?.bytes !== undefined) {
        entry.bytes = kept.bytes;
      }
      if (status === 'cancelled') {
        this.log.info(`Fetching ${entry.fileName}: ${message}`);
      } else {
        this.log.warn(`Fetching ${entry.fileName}: ${message}`);
      }
    } finally {
      this.running.delete(entry.id);
      entry.rate = undefined;
      entry.finishedAt = new Date().toISOString();
      await this.save();
      this.changed.fire(entry);
    }
    return entry;
  }

  private move(entry: DownloadEntry): void {
    this.entries = [entry, ...this.entries.filter((e) => e !== entry)];
    this.changed.fire(undefined);
  }

  private trim(): void {
    if (this.entries.length > recentDownloadsCap) {
      const dropped = this.entries.slice(recentDownloadsCap).filter((e) => !this.running.has(e.id));
      this.entries = this.entries.filter((e) => !dropped.includes(e));
      for (const e of dropped) {
        this.references.delete(e.id);
      }
    }
  }

  private async save(): Promise<void> {
    const plain = this.entries.slice(0, recentDownloadsCap).map(({ rate: _rate, ...rest }) => rest);
    await this.state.update(recentDownloadsStateKey, plain);
  }

  dispose(): void {
    for (const controller of this.running.values()) {
      controller.abort();
    }
    this.changed.dispose();
  }
}
