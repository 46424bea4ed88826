import { close, fstatSync, ftruncate, open, write, writev } from 'node:fs';

type Done = (err: Error | null) => void;

/**
 * One open file descriptor in append mode, written with group commit: lines
 * that arrive while a write is in progress are joined and written together
 * by the next single `write` call. Each line's callback runs once the write
 * that carried it has completed, i.e. once the operating system has the
 * bytes (a killed process does not lose them; a power cut can, as nothing is
 * fsync'ed).
 *
 * This is what a Node `WriteStream` with `writev` does, without its per-chunk
 * bookkeeping: the listener calls it for every request.
 */
export class AppendLog {
  private fd: number;
  private nextFd: number | undefined;
  private nextLength = 0;
  private lines: Buffer[] = [];
  private queuedBytes = 0;
  private callbacks: Done[] = [];
  private writing = false;
  private closing: (() => void)[] | undefined;
  /** Bytes in the file up to the end of the last complete write: where a failed write is cut back to. */
  private goodLength: number;
  /** A failed write left bytes past {@link goodLength} that could not be cut off yet. */
  private torn = false;
  private afterSwitch: (() => void) | undefined;

  constructor(fd: number) {
    this.fd = fd;
    this.goodLength = fstatSync(fd).size;
  }

  /** Opens (creating) `path` for appending. */
  static open(path: string): Promise<AppendLog> {
    return new Promise((resolve, reject) => open(path, 'a', (err, fd) => (err ? reject(err) : resolve(new AppendLog(fd)))));
  }

  /** Queues a line's bytes (ending with `\n`); `done` runs when it has been written, or with the error. */
  write(line: Buffer, done: Done): void {
    if (this.closing) {
      done(new Error('the history file is closed'));
      return;
    }
    this.lines.push(line);
    this.queuedBytes += line.length;
    this.callbacks.push(done);
    if (!this.writing) {
      this.flush();
    }
  }

  /**
   * Makes later writes go to `fd` (a new file after a rotation). The current
   * descriptor is closed once the write in progress, if any, has completed;
   * `done` runs then.
   */
  switchTo(fd: number, done: () => void): void {
    this.nextFd = fd;
    this.nextLength = fstatSync(fd).size;
    this.afterSwitch = done;
    if (!this.writing) {
      this.flush();
    }
  }

  private flush(): void {
    if (this.torn) {
      this.repair(() => this.flush());
      return;
    }
    if (this.nextFd !== undefined) {
      const old = this.fd;
      const done = this.afterSwitch;
      this.fd = this.nextFd;
      this.goodLength = this.nextLength;
      this.torn = false;
      this.nextFd = undefined;
      this.afterSwitch = undefined;
      close(old, () => done?.());
    }
    if (this.lines.length === 0) {
      if (this.closing) {
        const waiters = this.closing;
        close(this.fd, () => waiters.forEach((w) => w()));
      }
      return;
    }
    const lines = this.lines;
    const length = this.queuedBytes;
    const callbacks = this.callbacks;
    this.lines = [];
    this.queuedBytes = 0;
    this.callbacks = [];
    this.writing = true;
    this.writeLines(lines, length, (err) => {
      if (err) {
        // Part of the batch may be in the file: cut it back to the last complete line before anything else is written.
        this.torn = true;
        callbacks.forEach((cb) => cb(err));
        this.repair(() => {
          this.writing = false;
          this.flush();
        });
        return;
      }
      this.goodLength += length;
      this.writing = false;
      callbacks.forEach((cb) => cb(null));
      this.flush();
    });
  }

  /**
   * Truncates the file back to its last complete line after a failed write.
   * When even that fails (the disk is gone), the lines queued now fail too and
   * the next write tries again: the log never stays broken once the disk is back.
   */
  private repair(then: () => void): void {
    this.writing = true;
    ftruncate(this.fd, this.goodLength, (err) => {
      this.writing = false;
      if (err) {
        const callbacks = this.callbacks;
        this.lines = [];
        this.queuedBytes = 0;
        this.callbacks = [];
        callbacks.forEach((cb) => cb(err));
        if (this.closing) {
          const waiters = this.closing;
          close(this.fd, () => waiters.forEach((w) => w()));
        }
        return;
      }
      this.torn = false;
      then();
    });
  }

  /**
   * Writes a batch of lines with one `writev` (no copy into one buffer: under
   * load a batch is tens of KiB, and each such copy was a new allocation
   * outside the heap that pushed the garbage collector into extra work).
   */
  private writeLines(lines: Buffer[], length: number, done: (err: Error | null) => void): void {
    if (lines.length === 1) {
      this.writeAll(lines[0], 0, done);
      return;
    }
    writev(this.fd, lines, (err, written) => {
      if (err) {
        done(err);
      } else if (written < length) {
        // Only a short write (the disk filled up part way) gets here: the rest goes in one piece, and fails or completes there.
        this.writeAll(Buffer.concat(lines, length), written, done);
      } else {
        done(null);
      }
    });
  }

  private writeAll(data: Buffer, offset: number, done: (err: Error | null) => void): void {
    write(this.fd, data, offset, data.length - offset, null, (err, written) => {
      if (err) {
        done(err);
      } else if (offset + written < data.length) {
        this.writeAll(data, offset + written, done);
      } else {
        done(null);
      }
    });
  }

  /** Writes what is queued, then closes the descriptor. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closing) {
        this.closing.push(resolve);
        return;
      }
      this.closing = [resolve];
      if (!this.writing) {
        this.flush();
      }
    });
  }
}
