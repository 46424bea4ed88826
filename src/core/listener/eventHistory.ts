import { EventRing } from './eventRing';
import { encodeLine, historyOpLine, readHistoryEntry, readHistoryFiles, type HistoryEntry, type SkippedLine } from './historyLines';
import { HistoryWriter } from './historyWriter';
import { readStoredEvent, type EventUpdate, type SnsCheck, type WebhookEvent } from './webhookEvent';

export { rotatedHistoryFile } from './historyWriter';

export interface EventHistoryOptions {
  /** The JSON Lines file (e.g. `…/events.jsonl`). Its folder is created when needed. */
  file: string;
  /**
   * Most events kept. The file is rotated (to `events.1.jsonl`, replacing an
   * older one) after this many lines, so history on disk stays under about
   * twice the cap.
   */
  cap: number;
  /**
   * Called with the rotated file once a rotation has finished writing to it,
   * before it can be replaced by the next rotation (to archive it, or count it).
   */
  onRotated?: (rotatedFile: string) => Promise<void> | void;
  /** Most bytes of event lines kept in memory (default 64 MiB); beyond it the oldest are dropped from memory (not from the file). */
  maxMemoryBytes?: number;
}

/**
 * The listener's event history: the newest `cap` events in memory (as their
 * lines, outside the JavaScript heap: {@link EventRing}) backed by a JSON Lines file (its lines:
 * historyLines.ts) written through ONE open append descriptor ({@link HistoryWriter}). `append` completes only once the line was handed to the
 * operating system, which is when the listener may answer: an event answered
 * 2xx is in the file even if the process is killed right after.
 */
export class EventHistory {
  readonly file: string;
  readonly rotatedFile: string;
  private readonly cap: number;
  /** The file's one append descriptor, and its rotation. */
  private readonly writer: HistoryWriter;
  /** The kept events' lines, outside the JavaScript heap. */
  private ring: EventRing;
  /**
   * Provider identity (dedupe key) → the first kept event that had it. Stale
   * entries (their event gone) are ignored when read and pruned now and then.
   */
  private firstByKey = new Map<string, { id: string; seq: number }>();
  private readonly listeners = new Set<() => void>();

  constructor(options: EventHistoryOptions) {
    this.file = options.file;
    this.cap = Math.max(1, Math.floor(options.cap));
    this.writer = new HistoryWriter(options.file, this.cap, options.onRotated);
    this.rotatedFile = this.writer.rotatedFile;
    this.ring = new EventRing(this.cap, options.maxMemoryBytes ?? 64 * 1024 * 1024);
  }

  /**
   * Reads the rotated file and the current file. Lines that are not valid
   * (typically a torn last line after a crash) are skipped and returned, never
   * thrown on. A torn last line is terminated so the next append starts on a
   * line of its own; its bytes stay in the file.
   */
  async load(): Promise<{ loaded: number; skipped: SkippedLine[] }> {
    const { lines, skipped, linesInFile } = await readHistoryFiles([this.rotatedFile, this.file]);
    if (linesInFile !== undefined) {
      this.writer.linesInFile = linesInFile;
    }
    this.reset();
    for (const { value, line } of lines) {
      const entry = readHistoryEntry(value);
      if (entry) {
        this.apply(entry, line);
      }
    }
    this.fire();
    return { loaded: this.size, skipped };
  }

  private apply(entry: HistoryEntry, line: string): void {
    switch (entry.op) {
      case 'event':
        this.add(entry.id, entry.dedupeKeys, line);
        break;
      case 'delete':
        this.remove(entry.id);
        break;
      case 'clear':
        this.reset();
        break;
      case 'annotate':
        this.annotateInMemory(entry.id, entry.sns);
        break;
      case 'update':
        this.updateInMemory(entry.id, entry.update);
        break;
    }
  }

  private reset(): void {
    this.ring.clear();
    this.firstByKey.clear();
  }

  private add(id: string, keys: readonly string[] | undefined, line: string | Uint8Array): void {
    const seq = this.ring.push(line);
    for (const key of keys ?? []) {
      const first = this.firstByKey.get(key);
      if (!first || !this.isLive(first.seq)) {
        this.firstByKey.set(key, { id, seq });
      } else if (first.id === id) {
        first.seq = seq;
      }
    }
    if (this.firstByKey.size > 2 * this.cap + 100) {
      for (const [key, first] of this.firstByKey) {
        if (!this.isLive(first.seq)) {
          this.firstByKey.delete(key);
        }
      }
    }
  }

  /** A seq still held, or one registered before its line was written (Infinity). */
  private isLive(seq: number): boolean {
    return seq === Infinity || this.ring.has(seq);
  }

  private remove(id: string): boolean {
    const seq = this.ring.find(id);
    return seq !== undefined && this.ring.delete(seq);
  }

  private annotateInMemory(id: string, sns: SnsCheck): void {
    const seq = this.ring.find(id);
    const line = seq !== undefined ? this.ring.line(seq) : undefined;
    if (seq === undefined || line === undefined) {
      return;
    }
    const event = JSON.parse(line) as WebhookEvent;
    event.sns = { ...event.sns, ...sns };
    this.ring.replace(seq, JSON.stringify(event));
  }

  private updateInMemory(id: string, update: EventUpdate): void {
    const seq = this.ring.find(id);
    const line = seq !== undefined ? this.ring.line(seq) : undefined;
    if (seq !== undefined && line !== undefined) {
      this.ring.replace(seq, JSON.stringify({ ...(JSON.parse(line) as WebhookEvent), ...update }));
    }
  }

  /** Events, oldest first (parsed from the kept lines). */
  all(): WebhookEvent[] {
    return this.ring.seqs().map((seq) => readStoredEvent(this.ring.line(seq)!));
  }

  get size(): number {
    return this.ring.size;
  }

  get(id: string): WebhookEvent | undefined {
    const seq = this.ring.find(id);
    const line = seq !== undefined ? this.ring.line(seq) : undefined;
    return line !== undefined ? readStoredEvent(line) : undefined;
  }

  /** Called after every change (append, delete, clear, annotate, load). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fire(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  /**
   * Appends an event; `done` runs once its line was written, after the event
   * was added to the in-memory list and listeners were told. On error (disk
   * full, folder removed) the event is not added and the caller must not
   * answer 2xx. The listener's per-request path; {@link append} is the same
   * as a promise.
   */
  appendThen(event: WebhookEvent, done: (err: Error | null) => void): void {
    // Duplicates are spotted before the write so that two deliveries in flight at once are still paired.
    const keys = event.dedupeKeys;
    if (keys) {
      // One lookup per key. A redelivery is of the first kept event that had one of these identities: the first key seen before names it.
      let duplicateOf = event.duplicateOf;
      for (const key of keys) {
        const first = this.firstByKey.get(key);
        if (first && this.isLive(first.seq)) {
          duplicateOf ??= first.id;
        } else {
          // Not written yet: Infinity keeps it valid until its line is stored.
          this.firstByKey.set(key, { id: event.id, seq: Infinity });
        }
      }
      event.duplicateOf = duplicateOf;
    }
    // Encoded once: the same bytes go to the file and (without the newline) to the in-memory ring.
    const bytes = encodeLine(JSON.stringify(event));
    this.writer.write(bytes, (err) => {
      if (!err) {
        this.add(event.id, keys, bytes.subarray(0, bytes.length - 1));
        this.fire();
      } else {
        // Not stored: a later delivery must not be called a duplicate of it.
        for (const key of keys ?? []) {
          const first = this.firstByKey.get(key);
          if (first?.id === event.id && first.seq === Infinity) {
            this.firstByKey.delete(key);
          }
        }
      }
      done(err);
    });
  }

  /** {@link appendThen} as a promise. */
  append(event: WebhookEvent): Promise<void> {
    return new Promise((resolve, reject) => this.appendThen(event, (err) => (err ? reject(err) : resolve())));
  }

  /** Removes an event (persisted as a delete operation). */
  async delete(id: string): Promise<boolean> {
    if (this.ring.find(id) === undefined) {
      return false;
    }
    await this.writer.writeLine(historyOpLine({ op: 'delete', id }));
    this.remove(id);
    this.fire();
    return true;
  }

  /** Forgets every event, and rotates the file so that the old lines leave it. */
  async clear(): Promise<void> {
    await this.writer.writeLine(historyOpLine({ op: 'clear' }));
    this.reset();
    await this.writer.rotateNow();
    this.fire();
  }

  /** Records what happened to an SNS event after it was answered (subscription confirmed, …). */
  async annotateSns(id: string, sns: SnsCheck): Promise<void> {
    await this.writer.writeLine(historyOpLine({ op: 'annotate', id, sns }));
    this.annotateInMemory(id, sns);
    this.fire();
  }

  /** Records what happened to an event after it was stored (the app's answer to a forward). */
  async update(id: string, update: EventUpdate): Promise<void> {
    await this.writer.writeLine(historyOpLine({ op: 'update', id, update }));
    this.updateInMemory(id, update);
    this.fire();
  }

  /** Writes what is queued and closes the file. Later appends fail. */
  close(): Promise<void> {
    return this.writer.close();
  }
}
