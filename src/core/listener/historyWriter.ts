import { mkdirSync, open as openFd, openSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { AppendLog } from './appendLog';

/** The rotated sibling of a history file: `events.jsonl` → `events.1.jsonl`. */
export function rotatedHistoryFile(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.1${ext}`);
}

/**
 * Writes the history file through ONE open append descriptor ({@link AppendLog})
 * and rotates it (to {@link rotatedHistoryFile}, replacing an older one) after
 * `cap` lines, so history on disk stays under about twice the cap.
 */
export class HistoryWriter {
  readonly rotatedFile: string;
  private log: AppendLog | undefined;
  /** Lines in the current file (set from the file on load). */
  linesInFile = 0;
  private rotation: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly cap: number,
    /** See EventHistoryOptions.onRotated. */
    private readonly onRotated?: (rotatedFile: string) => Promise<void> | void,
  ) {
    this.rotatedFile = rotatedHistoryFile(file);
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

  /** Writes a line's bytes (ending with its newline); `done` runs once they were handed to the operating system. */
  write(bytes: Buffer, done: (err: Error | null) => void): void {
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

  /** Writes a line (given without its newline). */
  writeLine(line: string): Promise<void> {
    return new Promise((resolve, reject) => this.write(Buffer.from(`${line}\n`, 'utf8'), (err) => (err ? reject(err) : resolve())));
  }

  /** Rotates now (after a rotation in progress), so that the lines written so far leave the current file. */
  async rotateNow(): Promise<void> {
    await this.rotation;
    this.rotation = this.rotate();
    await this.rotation;
  }

  /** Writes what is queued and closes the file. Later writes fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.rotation;
    const log = this.log;
    this.log = undefined;
    await log?.close();
  }
}
