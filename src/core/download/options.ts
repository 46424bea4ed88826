import type { LookupFunction } from '../http/hops';
import type { HttpTransport } from './httpGet';

/** How a large object is fetched in ranges. */
export interface ParallelOptions {
  /** Objects at least this large are fetched in ranges; smaller ones in one stream. */
  thresholdBytes: number;
  /** Ranges fetched at once. 1 turns ranged downloads off. */
  connections: number;
  /** Size of one range (the last may be shorter). */
  partBytes: number;
  /**
   * A first connection at least this fast (bytes per second, timed over its first 2 MiB) is left to
   * fetch everything alone: the server does not cap it, so more connections would only add work here.
   */
  fastConnectionBytesPerSecond?: number;
}

/**
 * Defaults for ranged downloads, stated once for the settings, the CLI and the
 * engine. AWS documents roughly 85-90 MB/s per connection to S3 and recommends
 * parallel byte ranges of 8-16 MB; at 16 MiB and above, parallel ranges start to
 * pay back their extra requests.
 */
export const parallelDefaults: ParallelOptions = {
  thresholdBytes: 16 * 1024 * 1024,
  connections: 8,
  partBytes: 8 * 1024 * 1024,
};

/** Progress of one download, reported at most every {@link DownloadOptions.progressIntervalMs}. */
export interface DownloadProgress {
  /** Bytes in the `.part` file so far (including a resumed beginning). */
  bytes: number;
  /** Total size, when the server said (Content-Length / Content-Range). */
  total?: number;
  /** Bytes per second over this call's transfer. */
  rate: number;
  /** 1 for the first request, more after retries. */
  attempt: number;
}

export interface DownloadOptions {
  /** The http(s) URL to GET (usually presigned). */
  url: string;
  /** Folder to save into; created when missing. */
  targetFolder: string;
  /** File name to use when the server sends no `Content-Disposition` name (sanitised). Default: the URL's last path segment. */
  suggestedName?: string;
  /** A name that wins over `Content-Disposition` (sanitised). */
  fileName?: string;
  /** An expiry known from outside the URL (the event's rule); the earlier of it and the URL's own applies. */
  expiresAt?: Date;
  /** Whether the URL is a presigned link someone gave us (wording of errors); default true. */
  presigned?: boolean;
  /** Resume a `.part` file left by an earlier failed call (from {@link DownloadError} details). */
  resume?: { partPath: string; etag?: string; lastModified?: string };
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  progressIntervalMs?: number;
  /** Waits before each retry, in ms; its length is the number of retries. Default 0.5 s, 1 s, 2 s, 4 s. */
  retryDelaysMs?: number[];
  /** A connection idle this long is dropped and retried. Default 30 s. */
  idleTimeoutMs?: number;
  /** Called before each request (tests count them; the log notes retries). */
  onRequest?: (info: { attempt: number; range?: string; redactedUrl: string }) => void;
  /** Write each piece synchronously as it arrives (fastest; only where nothing else shares the event loop, as in the CLI). */
  syncWrites?: boolean;
  /** `socket` (default: fixed buffers, no per-read garbage) or `node` (node:http, which VS Code's proxy support hooks). */
  transport?: HttpTransport;
  /** Resolves host names (every address is checked against the hop policy); default the system resolver. */
  lookup?: LookupFunction;
  /** Extra trusted CA certificates (PEM) for https. */
  ca?: string | Buffer;
  /** Parallel ranged downloads: objects of at least `thresholdBytes` are fetched as `partBytes` ranges over `connections` connections. */
  parallel?: Partial<ParallelOptions>;
  /**
   * Refuse a file larger than this many bytes (auto-fetch: the sender of an
   * event chose the file, and may not state its size). Checked against the
   * size the server announces before anything is written, and against the
   * bytes received when it announces none; the download then fails with kind
   * `refused` and leaves no file.
   */
  maxBytes?: number;
  /** On cancel, keep the `.part` file (and its record of finished ranges) for a later resume instead of removing it. */
  keepPartOnCancel?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

export interface DownloadResult {
  /** Absolute path of the saved file. */
  path: string;
  fileName: string;
  bytes: number;
  /** ETag header of the object, as sent (quoted). */
  etag?: string;
  contentType?: string;
  /** Requests made (1 when nothing went wrong). */
  attempts: number;
  /** Bytes taken over from an earlier `.part` file or an earlier attempt, if the download resumed. */
  resumedFrom?: number;
  durationMs: number;
}

