import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, unlink, type WriteStream } from 'node:fs';
import { dirname, extname } from 'node:path';
import sanitize from 'sanitize-filename';
import { extensionForType } from './contentTypes';

/** A safe file name for a received body: time, event id, and the request path's last segment. */
export function receivedFileName(id: string, receivedAt: Date, path: string, contentType: string | undefined): string {
  const raw = path.split('/').filter(Boolean).pop() ?? '';
  let last: string;
  try {
    last = decodeURIComponent(raw);
  } catch {
    last = raw;
  }
  let name = sanitize(last).slice(0, 100);
  if (!extname(name)) {
    name = `${name || 'body'}${extensionForType(contentType)}`;
  }
  const stamp = receivedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${id.slice(0, 8)}-${name}`;
}

/** A request body being streamed to a received file, with its SHA-256. */
export class BodySink {
  size = 0;
  file?: string;
  /** Why the file could not be written (the disk is full, the folder went away): nothing of it is kept. */
  error?: Error;
  private stream?: WriteStream;
  private hash?: Hash;

  constructor(
    private readonly onBackpressure: (paused: boolean) => void,
    /** The file failed while the body was still arriving: the request must be answered 5xx now, not when it ends. */
    private readonly onError: (err: Error) => void,
  ) {}

  spill(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    this.file = file;
    this.hash = createHash('sha256');
    const stream = createWriteStream(file, { flags: 'wx' });
    this.stream = stream;
    stream.on('error', (err) => {
      if (!this.error && this.stream === stream) {
        this.error = err;
        this.discard();
        this.onError(err);
      }
    });
    stream.on('drain', () => this.onBackpressure(false));
  }

  push(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash?.update(chunk);
    if (this.stream && !this.stream.write(chunk)) {
      this.onBackpressure(true);
    }
  }

  /** Closes the file; resolves to its SHA-256 once every byte is written, rejects (the file removed) otherwise. */
  finish(): Promise<string> {
    const stream = this.stream;
    const hash = this.hash;
    if (this.error) {
      return Promise.reject(this.error);
    }
    if (!stream || !hash) {
      return Promise.resolve('');
    }
    return new Promise((resolve, reject) => {
      stream.end((err?: Error | null) => {
        const failure = err ?? this.error;
        if (failure) {
          this.discard();
          reject(failure);
        } else {
          resolve(hash.digest('hex'));
        }
      });
    });
  }

  /** Drops what was received (over the limit, the client went away, or the file failed). */
  discard(): void {
    if (this.stream) {
      const file = this.file;
      this.stream.destroy();
      this.stream = undefined;
      if (file) {
        unlink(file, () => undefined);
      }
    }
  }
}
