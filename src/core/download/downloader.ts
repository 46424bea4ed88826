import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as http from 'node:http';
import * as https from 'node:https';
import { redactUrl, redactUrlsInText } from '../redact';
import { explainS3Error, formatS3Error } from '../s3/s3Errors';
import { describeExpiry, earliestExpiry, inspectPresignedUrl } from '../url/presignedUrl';
import { productVersion } from '../version';
import { DownloadError } from './downloadError';
import { createUniqueFile, fileNameFromContentDisposition, moveIntoPlace, sanitizeFileName } from './fileNames';

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
  resume?: { partPath: string; etag?: string };
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  progressIntervalMs?: number;
  /** Waits before each retry, in ms; its length is the number of retries. Default 0.5 s, 1 s, 2 s, 4 s. */
  retryDelaysMs?: number[];
  /** A connection idle this long is dropped and retried. Default 30 s. */
  idleTimeoutMs?: number;
  /** Called before each request (tests count them; the log notes retries). */
  onRequest?: (info: { attempt: number; range?: string; redactedUrl: string }) => void;
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

const defaultRetryDelays = [500, 1000, 2000, 4000];
const maxRedirects = 5;
/** Bytes buffered by the file stream before the socket is paused; writes go out as one writev. */
const writeBatchBytes = 1024 * 1024;
const maxErrorBody = 64 * 1024;

/** What one request ended with, when it did not throw a final error. */
type Attempt =
  | { type: 'done'; total: number; etag?: string; contentType?: string; contentDisposition?: string }
  | { type: 'redirect'; location: string }
  | { type: 'retry'; reason: string; status?: number }
  | { type: 'restart'; reason: string };

interface PartState {
  path?: string;
  /** Bytes safely in the part file. */
  bytes: number;
  etag?: string;
  /** Set when a server continued the part with a 206 from this offset. */
  resumedFrom?: number;
}

function cancelled(): DownloadError {
  return new DownloadError('The download was cancelled.', 'cancelled', { requested: true });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function closeWriter(ws: WriteStream | undefined): Promise<void> {
  if (!ws || ws.closed) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.end();
  });
}

/** `bytes 100-199/1000` → { start: 100, total: 1000 }. */
function parseContentRange(header: string | undefined): { start: number; total?: number } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!m) {
    return undefined;
  }
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

function networkMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ? `${e.code}: ` : '';
  return redactUrlsInText(`${code}${e?.message ?? String(err)}`);
}

/**
 * Downloads a URL into the target folder: streams to `<name>.part` (memory
 * stays flat, the socket is paused while the disk catches up), verifies the
 * byte count, then moves it to its final name without overwriting anything
 * (` (1)`, ` (2)`…). Refuses an already-expired link before any request. A
 * dropped connection, a short body or a 5xx is retried with backoff, resuming
 * with `Range` + `If-Match` (the ETag) when the server allows, else restarting.
 * S3's XML errors become plain messages. Cancel with `signal`: the `.part`
 * file is removed. After the retries the `.part` file is kept and its path and
 * ETag are in the error's details, for `resume`.
 */
export async function downloadUrl(options: DownloadOptions): Promise<DownloadResult> {
  const now = options.now ?? Date.now;
  const started = now();
  let url: URL;
  try {
    url = new URL(options.url.trim());
  } catch {
    throw new DownloadError('This is not a URL that can be downloaded.', 'badInput', { requested: false });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError(`Only http and https links can be downloaded (this one is ${url.protocol}).`, 'badInput', { requested: false });
  }
  const info = inspectPresignedUrl(url.toString());
  const expiresAt = earliestExpiry(info?.expiresAt, options.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now()) {
    throw new DownloadError(
      `The link ${describeExpiry(expiresAt, now())} (at ${expiresAt.toISOString()}), so it was not requested. ` +
        'Ask the sender for a fresh link or a new event; an expired presigned URL cannot be revived.',
      'expired',
      { requested: false },
    );
  }
  if (options.signal?.aborted) {
    throw new DownloadError('The download was cancelled.', 'cancelled', { requested: false });
  }
  try {
    await mkdir(options.targetFolder, { recursive: true });
  } catch (err) {
    throw new DownloadError(`Cannot create the folder ${options.targetFolder}: ${networkMessage(err)}`, 'filesystem', { requested: false });
  }

  const baseName = sanitizeFileName(options.suggestedName ?? info?.key ?? decodeURIComponent(url.pathname), 'download');
  const part: PartState = { bytes: 0 };
  if (options.resume) {
    const existing = await stat(options.resume.partPath).catch(() => undefined);
    if (existing?.isFile()) {
      part.path = options.resume.partPath;
      part.bytes = existing.size;
      part.etag = options.resume.etag;
      if (!part.etag) {
        // Without an ETag a resumed body could come from a different object version: start over.
        part.bytes = 0;
      }
    }
  }

  const retryDelays = options.retryDelaysMs ?? defaultRetryDelays;
  const progressEvery = options.progressIntervalMs ?? 200;
  let failures = 0;
  let attempts = 0;
  let redirects = 0;
  let current = url;
  let transferred = 0;
  let lastProgress = 0;
  let lastTotal: number | undefined;
  let liveBytes = part.bytes;
  const report = (force: boolean) => {
    const t = now();
    if (!options.onProgress || (!force && t - lastProgress < progressEvery)) {
      return;
    }
    lastProgress = t;
    const seconds = Math.max((t - started) / 1000, 0.001);
    options.onProgress({ bytes: liveBytes, total: lastTotal, rate: transferred / seconds, attempt: attempts });
  };

  const cleanUp = async () => {
    if (part.path) {
      await rm(part.path, { force: true });
    }
  };

  for (;;) {
    if (options.signal?.aborted) {
      await cleanUp();
      throw cancelled();
    }
    attempts++;
    const range = part.bytes > 0 && part.etag ? `bytes=${part.bytes}-` : undefined;
    options.onRequest?.({ attempt: attempts, range, redactedUrl: redactUrl(current.toString()) });
    let outcome: Attempt;
    try {
      outcome = await requestOnce(current, part, options, baseName, range, (n, received, total) => {
        transferred += n;
        liveBytes = received;
        lastTotal = total;
        report(false);
      });
    } catch (err) {
      if (err instanceof DownloadError && (err.kind === 'cancelled' || err.kind === 'expired' || err.kind === 'refused')) {
        await cleanUp();
      }
      throw err;
    }
    if (outcome.type === 'done') {
      liveBytes = outcome.total;
      report(true);
      const headerName = fileNameFromContentDisposition(outcome.contentDisposition);
      const finalName = sanitizeFileName(options.fileName ?? headerName ?? baseName, baseName);
      const finalPath = await moveIntoPlace(part.path!, options.targetFolder, finalName);
      return {
        path: finalPath,
        fileName: basename(finalPath),
        bytes: outcome.total,
        etag: outcome.etag,
        contentType: outcome.contentType,
        attempts,
        resumedFrom: part.resumedFrom,
        durationMs: now() - started,
      };
    }
    if (outcome.type === 'redirect') {
      if (++redirects > maxRedirects) {
        await cleanUp();
        throw new DownloadError(`Too many redirects (more than ${maxRedirects}).`, 'refused', { requested: true });
      }
      current = new URL(outcome.location, current);
      attempts--;
      continue;
    }
    if (outcome.type === 'restart') {
      // The server cannot continue the part (object changed, or ranges unsupported): start from byte 0.
      part.bytes = 0;
      part.etag = undefined;
      if (attempts > retryDelays.length + 2) {
        await cleanUp();
        throw new DownloadError(`The download kept restarting (${outcome.reason}).`, 'network', { requested: true });
      }
      continue;
    }
    if (failures >= retryDelays.length) {
      const kept = part.path && part.bytes > 0 ? part.path : undefined;
      if (!kept) {
        await cleanUp();
      }
      throw new DownloadError(
        `The download failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${outcome.reason}.` +
          (kept ? ` The ${part.bytes} bytes received so far are kept in ${kept} and the download can be resumed.` : ''),
        'network',
        { status: outcome.status, partPath: kept, etag: kept ? part.etag : undefined, bytes: kept ? part.bytes : undefined, requested: true },
      );
    }
    try {
      await sleep(retryDelays[failures], options.signal);
    } catch (err) {
      await cleanUp();
      throw err;
    }
    failures++;
  }
}

/** Sends one GET and streams a 2xx body into the part file. Final failures throw; transient ones resolve `retry`. */
function requestOnce(
  url: URL,
  part: PartState,
  options: DownloadOptions,
  baseName: string,
  range: string | undefined,
  onBytes: (n: number, received: number, total: number | undefined) => void,
): Promise<Attempt> {
  return new Promise<Attempt>((resolve, reject) => {
    let settled = false;
    // The part file may still be opening when the attempt ends: close it only once it is open.
    let writer: Promise<WriteStream | undefined> = Promise.resolve(undefined);
    const settle = (result: Attempt | DownloadError) => {
      if (settled) {
        return;
      }
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void writer.then(closeWriter).then(async () => {
        if (part.path) {
          // What is on disk is what counts for a resume.
          part.bytes = (await stat(part.path).catch(() => undefined))?.size ?? 0;
        }
        if (result instanceof DownloadError) {
          reject(result);
        } else {
          resolve(result);
        }
      });
    };
    const onAbort = () => {
      req.destroy();
      settle(cancelled());
    };

    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': `s3-hooks/${productVersion}` };
    if (range && part.etag) {
      headers.range = range;
      headers['if-match'] = part.etag;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method: 'GET', headers });
    req.setTimeout(options.idleTimeoutMs ?? 30_000, () => {
      req.destroy(Object.assign(new Error('no data for too long'), { code: 'ETIMEDOUT' }));
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      if (options.signal?.aborted) {
        settle(cancelled());
      } else {
        settle({ type: 'retry', reason: `network error (${networkMessage(err)})` });
      }
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && status !== 304) {
        res.resume();
        settle({ type: 'redirect', location: res.headers.location });
        return;
      }
      if (status === 412 || status === 416) {
        res.resume();
        settle({ type: 'restart', reason: status === 412 ? 'the object changed since the first part was fetched' : 'the saved part no longer fits' });
        return;
      }
      if (status < 200 || status >= 300) {
        readErrorBody(res, (body) => {
          const report = explainS3Error(status, body, { operation: 'download', presigned: options.presigned ?? true });
          if (report.kind === 'server' || report.kind === 'throttled') {
            settle({ type: 'retry', reason: redactUrlsInText(formatS3Error(report)), status });
          } else {
            const kind = report.kind === 'expired' ? 'expired' : 'refused';
            settle(new DownloadError(redactUrlsInText(formatS3Error(report)), kind, { status, s3Code: report.code, requested: true }));
          }
        });
        return;
      }
      let start = 0;
      let total: number | undefined;
      const length = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : undefined;
      if (status === 206) {
        const cr = parseContentRange(res.headers['content-range']);
        if (!cr || cr.start !== part.bytes) {
          res.destroy();
          settle({ type: 'restart', reason: 'the server answered a different range' });
          return;
        }
        start = cr.start;
        total = cr.total ?? (length !== undefined ? start + length : undefined);
      } else {
        total = length;
      }
      const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
      if (start > 0 && etag && part.etag && etag !== part.etag) {
        res.destroy();
        settle({ type: 'restart', reason: 'the object changed since the first part was fetched' });
        return;
      }
      part.etag = etag;
      if (start > 0) {
        part.resumedFrom = start;
      }
      res.pause();
      let received = start;
      let ws: WriteStream | undefined;
      // Listen for the end of the answer at once: a short body can be over before the part file is open.
      res.on('error', () => {
        // Reported through 'close' with the byte count.
      });
      res.on('close', () => {
        if (settled) {
          return;
        }
        if (!ws || !res.complete || (total !== undefined && received < total)) {
          settle({ type: 'retry', reason: `the connection ended after ${received} of ${total ?? 'an unknown number of'} bytes` });
          return;
        }
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        void closeWriter(ws).then(async () => {
          const size = (await stat(part.path!).catch(() => undefined))?.size ?? -1;
          part.bytes = Math.max(size, 0);
          if (total !== undefined && size !== total) {
            // The server said one length and sent another: never keep a short file.
            resolve({ type: 'retry', reason: `received ${size} bytes but the server announced ${total}` });
            return;
          }
          resolve({
            type: 'done',
            total: size,
            etag,
            contentType: res.headers['content-type'],
            contentDisposition: res.headers['content-disposition'],
          });
        }, reject);
      });
      const opening = openPart(part, options.targetFolder, baseName, start);
      writer = opening.catch(() => undefined);
      opening.then(
        (stream) => {
          if (settled) {
            return;
          }
          ws = stream;
          stream.on('error', (err) => {
            res.destroy();
            settle(new DownloadError(`Cannot write ${part.path}: ${networkMessage(err)}`, 'filesystem', { requested: true }));
          });
          stream.on('drain', () => res.resume());
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            onBytes(chunk.length, received, total);
            if (!stream.write(chunk)) {
              res.pause();
            }
          });
          res.resume();
        },
        (err: unknown) => {
          res.destroy();
          settle(new DownloadError(`Cannot create a file in ${options.targetFolder}: ${networkMessage(err)}`, 'filesystem', { requested: true }));
        },
      );
    });
    req.end();
  });
}

/** Opens the part file for writing at `start` (0 truncates), creating a unique `<name>.part` the first time. */
async function openPart(part: PartState, folder: string, baseName: string, start: number): Promise<WriteStream> {
  if (!part.path) {
    part.path = await createUniqueFile(folder, baseName, '.part');
  }
  return createWriteStream(part.path, { flags: start > 0 ? 'r+' : 'w', start, highWaterMark: writeBatchBytes });
}

function readErrorBody(res: http.IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done(Buffer.concat(chunks).toString('utf8'));
    }
  };
  res.on('data', (chunk: Buffer) => {
    if (size < maxErrorBody) {
      chunks.push(chunk);
      size += chunk.length;
    }
  });
  res.on('end', finish);
  res.on('close', finish);
  res.on('error', finish);
}
