import { mkdirSync, open as openFd, openSync } from 'node:fs';
import { appendFile, readFile, rename } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppendLog } from './appendLog';
import { EventRing } from './eventRing';
import { readStoredEvent, type EventUpdate, type SnsCheck, type WebhookEvent } from './webhookEvent';

/**
 * A history line is either an event record or an operation on earlier records.
 * Operations are appended rather than rewriting the file, so the file is only
 * ever appended to and a crash can at worst tear its last line.
 */
type HistoryOp =
  | { op: 'delete'; id: string }
  | { op: 'clear' }
  | { op: 'annotate'; id: string; sns: SnsCheck }
  | { op: 'update'; id: string; update: EventUpdate };

/** A line of the history file that could not be used on reload. */
export interface SkippedLine {
  file: string;
  /** 1-based line number. */
  line: number;
  reason: string;
}

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

/** The rotated sibling of a history file: `events.jsonl` → `events.1.jsonl`. */
export function rotatedHistoryFile(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.1${ext}`);
}

/**
 * The listener's event history: the newest `cap` events in memory (as their
 * lines, outside the JavaScript heap: {@link EventRing}) backed by a JSON Lines file written through ONE open append descriptor
 * ({@link AppendLog}). `append` completes only once the line was handed to the
 * operating system, which is when the listener may answer: an event answered
 * 2xx is in the file even if the process is killed right after.
 */
export class EventHistory {
  readonly file: string;
  readonly rotatedFile: string;
  private readonly cap: number;
  private readonly onRotated: EventHistoryOptions['onRotated'];
  /** The kept events' lines, outside the JavaScript heap. */
  private ring: EventRing;
  /**
   * Provider identity (dedupe key) → the first kept event that had it. Stale
   * entries (their event gone) are ignored when read and pruned now and then.
   */
  private firstByKey = new Map<string, { id: string; seq: number }>();
  private log: AppendLog | undefined;
  private linesInFile = 0;
  private rotation: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(options: EventHistoryOptions) {
    this.file = options.file;
    this.rotatedFile = rotatedHistoryFile(options.file);
    this.cap = Math.max(1, Math.floor(options.cap));
    this.onRotated = options.onRotated;
    this.ring = new EventRing(this.cap, options.maxMemoryBytes ?? 64 * 1024 * 1024);
  }

  /**
   * Reads the rotated file and the current file. Lines that are not valid
   * (typically a torn last line after a crash) are skipped and returned, never
   * thrown on. A torn last line is terminated so the next append starts on a
   * line of its own; its bytes stay in the file.
   */
  async load(): Promise<{ loaded: number; skipped: SkippedLine[] }> {
    const skipped: SkippedLine[] = [];
    const lines: { value: unknown; line: string }[] = [];
    for (const file of [this.rotatedFile, this.file]) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          continue;
        }
        throw err;
      }
      const parts = text.split('\n');
      const tornTail = parts[parts.length - 1] !== '';
      if (!tornTail) {
        parts.pop();
      }
      parts.forEach((line, index) => {
        if (line.trim() === '') {
          return;
        }
        try {
          lines.push({ value: JSON.parse(line), line });
        } catch {
          const last = index === parts.length - 1 && tornTail;
          skipped.push({
            file,
            line: index + 1,
            reason: last ? 'incomplete last line (the process was probably stopped while writing it)' : 'not valid JSON',
          });
        }
      });
      if (file === this.file) {
        this.linesInFile = parts.length;
        if (tornTail) {
          await appendFile(file, '\n');
        }
      }
    }
    this.reset();
    for (const { value, line } of lines) {
      this.apply(value, line);
    }
    this.fire();
    return { loaded: this.size, skipped };
  }

  private apply(entry: unknown, line: string): void {
    if (typeof entry !== 'object' || entry === null) {
      return;
    }
    const op = entry as Partial<HistoryOp>;
    if (op.op === 'delete' && typeof op.id === 'string') {
      this.remove(op.id);
    } else if (op.op === 'clear') {
      this.reset();
    } else if (op.op === 'annotate' && typeof op.id === 'string') {
      if (op.sns) {
        this.annotateInMemory(op.id, op.sns);
      }
    } else if (op.op === 'update' && typeof op.id === 'string') {
      if (op.update) {
        this.updateInMemory(op.id, op.update);
      }
    } else {
      const event = entry as WebhookEvent;
      if (typeof event.id === 'string' && typeof event.receivedAt === 'string') {
        this.add(event.id, event.dedupeKeys, line);
      }
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

  /** The id of the first kept event that had one of these provider identities. */
  firstWithKey(keys: readonly string[] | undefined): string | undefined {
    for (const key of keys ?? []) {
      const first = this.firstByKey.get(key);
      if (first && this.isLive(first.seq)) {
        return first.id;
      }
    }
    return undefined;
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

  private openLog(): AppendLog {
    if (this.closed) {
      throw new Error('the event history is closed');
    }
    if (!this.log) {
      mkdirSync(dirname(this.file), { recursive: true });
      // Opened once, synchronously, so that the first line cannot overtake a rotation.
      this.log = new AppendLog(openSync(this.file, 'a'));
    }
    return this.log;
  }

  /**
   * Renames the full file away and switches to a new one, without blocking
   * appends: lines written in between still go to the renamed file (the open
   * descriptor follows it), which is read on reload.
   */
  private async rotate(): Promise<void> {
    const log = this.log;
    if (!log) {
      return;
    }
    try {
      await rename(this.file, this.rotatedFile);
      const fd = await new Promise<number>((resolve, reject) => openFd(this.file, 'a', (err, fd) => (err ? reject(err) : resolve(fd))));
      await new Promise<void>((resolve) => log.switchTo(fd, resolve));
      this.linesInFile = 0;
      await this.onRotated?.(this.rotatedFile);
    } catch {
      // The file stays as it is (for example the folder was removed); a later rotation tries again.
      this.linesInFile = 0;
    } finally {
      this.rotation = undefined;
    }
  }

  /** Writes a line's bytes (ending with its newline). */
  private writeLine(bytes: Buffer, done: (err: Error | null) => void): void {
    let log: AppendLog;
    try {
      log = this.openLog();
    } catch (err) {
      done(err as Error);
      return;
    }
    log.write(bytes, done);
    if (++this.linesInFile >= this.cap && !this.rotation) {
      this.rotation = this.rotate();
    }
  }

  private writeLineAsync(line: string): Promise<void> {
    return new Promise((resolve, reject) => this.writeLine(Buffer.from(`${line}\n`, 'utf8'), (err) => (err ? reject(err) : resolve())));
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
      if (event.duplicateOf === undefined) {
        event.duplicateOf = this.firstWithKey(keys);
      }
      for (const key of keys) {
        const first = this.firstByKey.get(key);
        if (!first || !this.isLive(first.seq)) {
          // Not written yet: Infinity keeps it valid until its line is stored.
          this.firstByKey.set(key, { id: event.id, seq: Infinity });
        }
      }
    }
    // Encoded once: the same bytes go to the file and (without the newline) to the in-memory ring.
    const bytes = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
    this.writeLine(bytes, (err) => {
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
    await this.writeLineAsync(JSON.stringify({ op: 'delete', id } satisfies HistoryOp));
    this.remove(id);
    this.fire();
    return true;
  }

  /** Forgets every event, and rotates the file so that the old lines leave it. */
  async clear(): Promise<void> {
    await this.writeLineAsync(JSON.stringify({ op: 'clear' } satisfies HistoryOp));
    this.reset();
    await this.rotation;
    this.rotation = this.rotate();
    await this.rotation;
    this.fire();
  }

  /** Records what happened to an SNS event after it was answered (subscription confirmed, …). */
  async annotateSns(id: string, sns: SnsCheck): Promise<void> {
    await this.writeLineAsync(JSON.stringify({ op: 'annotate', id, sns } satisfies HistoryOp));
    this.annotateInMemory(id, sns);
    this.fire();
  }

  /** Writes what is queued and closes the file. Later appends fail. */
  /** Records what happened to an event after it was stored (the app's answer to a forward). */
  async update(id: string, update: EventUpdate): Promise<void> {
    await this.writeLineAsync(JSON.stringify({ op: 'update', id, update } satisfies HistoryOp));
    this.updateInMemory(id, update);
    this.fire();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.rotation;
    const log = this.log;
    this.log = undefined;
    await log?.close();
  }
}
