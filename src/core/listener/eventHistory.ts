import { createWriteStream, mkdirSync, openSync, renameSync, type WriteStream } from 'node:fs';
import { readFile, stat, appendFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { SnsCheck, WebhookEvent } from './webhookEvent';

/**
 * A history line is either an event record or an operation on earlier records.
 * Operations are appended rather than rewriting the file, so the file is only
 * ever appended to and a crash can at worst tear its last line.
 */
type HistoryOp =
  | { op: 'delete'; id: string }
  | { op: 'clear' }
  | { op: 'annotate'; id: string; sns: SnsCheck };

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
}

/** The rotated sibling of a history file: `events.jsonl` → `events.1.jsonl`. */
export function rotatedHistoryFile(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.1${ext}`);
}

/**
 * The listener's event history: an in-memory list (oldest first, at most `cap`)
 * backed by a JSON Lines file written through ONE open append stream. `append`
 * resolves only once the line was handed to the operating system (the write
 * callback), which is when the listener may answer: an event answered 2xx is
 * in the file even if the process is killed right after.
 */
export class EventHistory {
  readonly file: string;
  readonly rotatedFile: string;
  private readonly cap: number;
  private events: WebhookEvent[] = [];
  private byId = new Map<string, WebhookEvent>();
  /** Provider identity (dedupe key) → id of the first event that had it. */
  private firstByKey = new Map<string, string>();
  private stream: WriteStream | undefined;
  private linesInFile = 0;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(options: EventHistoryOptions) {
    this.file = options.file;
    this.rotatedFile = rotatedHistoryFile(options.file);
    this.cap = Math.max(1, Math.floor(options.cap));
  }

  /**
   * Reads the rotated file and the current file. Lines that are not valid
   * (typically a torn last line after a crash) are skipped and returned, never
   * thrown on. A torn last line is terminated so the next append starts on a
   * line of its own; its bytes stay in the file.
   */
  async load(): Promise<{ loaded: number; skipped: SkippedLine[] }> {
    const skipped: SkippedLine[] = [];
    const lines: unknown[] = [];
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
          lines.push(JSON.parse(line));
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
    this.events = [];
    this.byId.clear();
    this.firstByKey.clear();
    for (const entry of lines) {
      this.apply(entry);
    }
    this.fire();
    return { loaded: this.events.length, skipped };
  }

  private apply(entry: unknown): void {
    if (typeof entry !== 'object' || entry === null) {
      return;
    }
    const op = entry as Partial<HistoryOp>;
    if (op.op === 'delete' && typeof op.id === 'string') {
      this.remove(op.id);
    } else if (op.op === 'clear') {
      this.events = [];
      this.byId.clear();
      this.firstByKey.clear();
    } else if (op.op === 'annotate' && typeof op.id === 'string') {
      const event = this.byId.get(op.id);
      if (event && op.sns) {
        event.sns = { ...event.sns, ...op.sns };
      }
    } else {
      const event = entry as WebhookEvent;
      if (typeof event.id === 'string' && typeof event.receivedAt === 'string') {
        this.add(event);
      }
    }
  }

  private add(event: WebhookEvent): void {
    this.events.push(event);
    this.byId.set(event.id, event);
    for (const key of event.dedupeKeys ?? []) {
      if (!this.firstByKey.has(key)) {
        this.firstByKey.set(key, event.id);
      }
    }
    if (this.events.length > this.cap) {
      const evicted = this.events.shift();
      if (evicted) {
        this.forget(evicted);
      }
    }
  }

  private forget(event: WebhookEvent): void {
    this.byId.delete(event.id);
    for (const key of event.dedupeKeys ?? []) {
      if (this.firstByKey.get(key) === event.id) {
        this.firstByKey.delete(key);
      }
    }
  }

  private remove(id: string): boolean {
    const event = this.byId.get(id);
    if (!event) {
      return false;
    }
    this.events.splice(this.events.indexOf(event), 1);
    this.forget(event);
    return true;
  }

  /** Events, oldest first. */
  all(): readonly WebhookEvent[] {
    return this.events;
  }

  get size(): number {
    return this.events.length;
  }

  get(id: string): WebhookEvent | undefined {
    return this.byId.get(id);
  }

  /** The id of the first kept event that had one of these provider identities. */
  firstWithKey(keys: readonly string[] | undefined): string | undefined {
    for (const key of keys ?? []) {
      const id = this.firstByKey.get(key);
      if (id !== undefined) {
        return id;
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

  private openStream(): WriteStream {
    if (this.closed) {
      throw new Error('the event history is closed');
    }
    if (!this.stream) {
      mkdirSync(dirname(this.file), { recursive: true });
      // Opened synchronously so that a rotation (rename) always moves the file this stream writes to.
      this.stream = createWriteStream(this.file, { fd: openSync(this.file, 'a') });
      // Errors surface through each write's callback; this keeps an unhandled 'error' from crashing the process.
      this.stream.on('error', () => undefined);
    }
    return this.stream;
  }

  /** Renames the full file away (the open descriptor keeps writing its pending lines there) and starts a new one. */
  private rotateIfFull(): void {
    if (this.linesInFile < this.cap || !this.stream) {
      return;
    }
    const old = this.stream;
    renameSync(this.file, this.rotatedFile);
    this.stream = undefined;
    this.linesInFile = 0;
    old.end();
  }

  private writeLine(line: string): Promise<void> {
    this.rotateIfFull();
    const stream = this.openStream();
    this.linesInFile++;
    return new Promise((resolve, reject) => {
      stream.write(line + '\n', (err) => {
        if (err) {
          // A failed stream is destroyed: the next write opens a fresh one.
          if (this.stream === stream) {
            this.stream = undefined;
          }
          reject(err);
        } else {
          resolve();
        }
      });
    });
  }

  /**
   * Appends an event and resolves once its line was written; only then is it
   * added to the in-memory list and listeners are told. Rejects when the write
   * fails (disk full, folder removed): the caller must not answer 2xx then.
   */
  async append(event: WebhookEvent): Promise<void> {
    // Duplicates are spotted before the write so that two deliveries in flight at once are still paired.
    if (event.duplicateOf === undefined) {
      event.duplicateOf = this.firstWithKey(event.dedupeKeys);
    }
    for (const key of event.dedupeKeys ?? []) {
      if (!this.firstByKey.has(key)) {
        this.firstByKey.set(key, event.id);
      }
    }
    await this.writeLine(JSON.stringify(event));
    this.add(event);
    this.fire();
  }

  /** Removes an event (persisted as a delete operation). */
  async delete(id: string): Promise<boolean> {
    if (!this.byId.has(id)) {
      return false;
    }
    await this.writeLine(JSON.stringify({ op: 'delete', id } satisfies HistoryOp));
    this.remove(id);
    this.fire();
    return true;
  }

  /** Forgets every event; the file is rotated so the space is reclaimed at the next rotation. */
  async clear(): Promise<void> {
    await this.writeLine(JSON.stringify({ op: 'clear' } satisfies HistoryOp));
    this.events = [];
    this.byId.clear();
    this.firstByKey.clear();
    this.linesInFile = this.cap;
    this.rotateIfFull();
    this.fire();
  }

  /** Records what happened to an SNS event after it was answered (subscription confirmed, …). */
  async annotateSns(id: string, sns: SnsCheck): Promise<void> {
    await this.writeLine(JSON.stringify({ op: 'annotate', id, sns } satisfies HistoryOp));
    const event = this.byId.get(id);
    if (event) {
      event.sns = { ...event.sns, ...sns };
    }
    this.fire();
  }

  /** Size of the current file in bytes (0 when it does not exist). */
  async fileSize(): Promise<number> {
    try {
      return (await stat(this.file)).size;
    } catch {
      return 0;
    }
  }

  /** Flushes and closes the append stream. Later appends reject. */
  async close(): Promise<void> {
    this.closed = true;
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      await new Promise<void>((resolve) => stream.end(resolve));
    }
  }
}
