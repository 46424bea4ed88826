import { appendFile, readFile } from 'node:fs/promises';
import type { EventUpdate, SnsCheck, WebhookEvent } from './webhookEvent';

/**
 * A history line is either an event record or an operation on earlier records.
 * Operations are appended rather than rewriting the file, so the file is only
 * ever appended to and a crash can at worst tear its last line.
 */
export type HistoryOp =
  | { op: 'delete'; id: string }
  | { op: 'clear' }
  | { op: 'annotate'; id: string; sns: SnsCheck }
  | { op: 'update'; id: string; update: EventUpdate };

/** What a line read back from the history does: an operation, or an event to keep (as its line). */
export type HistoryEntry = HistoryOp | { op: 'event'; id: string; dedupeKeys: readonly string[] | undefined };

/** A line of the history file that could not be used on reload. */
export interface SkippedLine {
  file: string;
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** The lines of the history files, oldest first, as read on load. */
export interface HistoryRead {
  lines: { value: unknown; line: string }[];
  skipped: SkippedLine[];
  /** Lines in the current (last) file, torn last line included; undefined when it does not exist. */
  linesInFile: number | undefined;
}

/**
 * Reads the history files in order (the rotated one first; a missing file is
 * empty). Lines that are not valid JSON (typically a torn last line after a
 * crash) are skipped and reported, never thrown on. A torn last line of the
 * last file is terminated so the next append starts on a line of its own; its
 * bytes stay in the file.
 */
export async function readHistoryFiles(files: readonly string[]): Promise<HistoryRead> {
  const read: HistoryRead = { lines: [], skipped: [], linesInFile: undefined };
  for (const [n, file] of files.entries()) {
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
        read.lines.push({ value: JSON.parse(line), line });
      } catch {
        const last = index === parts.length - 1 && tornTail;
        read.skipped.push({
          file,
          line: index + 1,
          reason: last ? 'incomplete last line (the process was probably stopped while writing it)' : 'not valid JSON',
        });
      }
    });
    if (n === files.length - 1) {
      read.linesInFile = parts.length;
      if (tornTail) {
        await appendFile(file, '\n');
      }
    }
  }
  return read;
}

/** What a parsed history line means, or undefined when it is neither a known operation nor an event. */
export function readHistoryEntry(value: unknown): HistoryEntry | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const op = value as Partial<HistoryOp>;
  if (op.op === 'delete' && typeof op.id === 'string') {
    return { op: 'delete', id: op.id };
  } else if (op.op === 'clear') {
    return { op: 'clear' };
  } else if (op.op === 'annotate' && typeof op.id === 'string') {
    return op.sns ? { op: 'annotate', id: op.id, sns: op.sns } : undefined;
  } else if (op.op === 'update' && typeof op.id === 'string') {
    return op.update ? { op: 'update', id: op.id, update: op.update } : undefined;
  }
  const event = value as WebhookEvent;
  return typeof event.id === 'string' && typeof event.receivedAt === 'string' ? { op: 'event', id: event.id, dedupeKeys: event.dedupeKeys } : undefined;
}

/** An operation's line (without its newline). */
export function historyOpLine(op: HistoryOp): string {
  return JSON.stringify(op);
}

/** Lines are encoded into shared buffers of this size (a longer line gets its own). */
const arenaSize = 64 * 1024;
let arena = Buffer.allocUnsafeSlow(arenaSize);
let arenaUsed = 0;

/**
 * A line's UTF-8 bytes and its newline, written straight into a shared buffer:
 * with room for the longest encoding (3 bytes per UTF-16 unit) reserved, the
 * string is encoded once, without first scanning it for its byte length and
 * without a joined string to flatten. The line's bytes stay valid for as long
 * as they are referenced; a new buffer is started when one is full.
 */
export function encodeLine(json: string): Buffer {
  const room = json.length * 3 + 1;
  if (room > arenaSize / 4) {
    const length = Buffer.byteLength(json, 'utf8');
    const own = Buffer.allocUnsafe(length + 1);
    own.write(json, 0, length, 'utf8');
    own[length] = 10;
    return own;
  }
  if (arenaUsed + room > arenaSize) {
    arena = Buffer.allocUnsafeSlow(arenaSize);
    arenaUsed = 0;
  }
  const start = arenaUsed;
  const length = arena.write(json, start, 'utf8');
  arena[start + length] = 10;
  arenaUsed = start + length + 1;
  return arena.subarray(start, arenaUsed);
}
