import { mkdir, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { redactUrl, redactUrlsInText } from '../redact';
import { explainS3Error, formatS3Error } from '../s3/s3Errors';
import { describeExpiry } from '../format/duration';
import { earliestExpiry, inspectPresignedUrl } from '../url/presignedUrl';
import { productVersion } from '../version';
import { DownloadError } from './downloadError';
import { createUniqueFile, fileNameFromContentDisposition, moveIntoPlace, sanitizeFileName } from './fileNames';
import { checkHop, HopRefusedError, nextHop, type LookupFunction } from '../http/hops';
import { httpGet, type GetResponse, type HttpTransport } from './httpGet';
import { PartWriter } from './partWriter';

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
const maxErrorBody = 64 * 1024;

/** What one request ended with, when it did not throw a final error. */
type Attempt =
  | { type: 'done'; total: number; etag?: string; contentType?: string; contentDisposition?: string }
  | { type: 'redirect'; location: string; status: number }
  | { type: 'retry'; reason: string; status?: number }
  | { type: 'restart'; reason: string };

interface PartState {
  path?: string;
  /** Bytes safely in the part file. */
  bytes: number;
  etag?: string;
  /** Last-Modified of the object, the validator when the server sends no ETag. */
  lastModified?: string;
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

/** `bytes 100-199/1000` → { start: 100, total: 1000 }. */
function parseContentRange(header: string | undefined): { start: number; total?: number } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!m) {
    return undefined;
  }
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

/** A write failure in one line, with what the user can do about the common ones. */
function filesystemError(what: string, err: unknown): DownloadError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ' The disk is full: free some space or save to another folder.'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? ' The folder cannot be written: choose another folder.'
        : '';
  return new DownloadError(`${what}: ${networkMessage(err)}.${hint}`, 'filesystem', { requested: true });
}

function networkMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // Node's own messages already start with the code (`ENOSPC: no space left…`).
  const code = e?.code && !e.message?.startsWith(e.code) ? `${e.code}: ` : '';
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
  try {
    checkHop(url);
  } catch (err) {
    throw new DownloadError((err as Error).message, 'badInput', { requested: false });
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
      part.lastModified = options.resume.lastModified;
      if (!part.etag && !part.lastModified) {
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
    const range = part.bytes > 0 && (part.etag || part.lastModified) ? `bytes=${part.bytes}-` : undefined;
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
      if (err instanceof DownloadError && err.kind !== 'network') {
        await cleanUp();
      }
      throw err;
    }
    if (outcome.type === 'done') {
      liveBytes = outcome.total;
      report(true);
      const headerName = fileNameFromContentDisposition(outcome.contentDisposition);
      const finalName = sanitizeFileName(options.fileName ?? headerName ?? baseName, baseName);
      let finalPath: string;
      try {
        finalPath = await moveIntoPlace(part.path!, options.targetFolder, finalName);
      } catch (err) {
        await cleanUp();
        throw filesystemError(`Cannot save ${finalName} in ${options.targetFolder}`, err);
      }
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
      try {
        current = nextHop(outcome.location, current, ++redirects, maxRedirects);
      } catch (err) {
        await cleanUp();
        throw new DownloadError((err as Error).message, 'refused', { status: outcome.status, requested: true });
      }
      attempts--;
      continue;
    }
    if (outcome.type === 'restart') {
      // The server cannot continue the part (object changed, or ranges unsupported): start from byte 0.
      part.bytes = 0;
      part.etag = undefined;
      part.lastModified = undefined;
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
        {
          status: outcome.status,
          partPath: kept,
          etag: kept ? part.etag : undefined,
          lastModified: kept ? part.lastModified : undefined,
          bytes: kept ? part.bytes : undefined,
          requested: true,
        },
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
async function requestOnce(
  url: URL,
  part: PartState,
  options: DownloadOptions,
  baseName: string,
  range: string | undefined,
  onBytes: (n: number, received: number, total: number | undefined) => void,
): Promise<Attempt> {
  const headers: Record<string, string> = { 'User-Agent': `s3-hooks/${productVersion}`, 'Accept-Encoding': 'identity' };
  if (range && part.etag) {
    headers.Range = range;
    headers['If-Match'] = part.etag;
  } else if (range && part.lastModified) {
    headers.Range = range;
    headers['If-Unmodified-Since'] = part.lastModified;
  }
  let res: GetResponse;
  try {
    res = await httpGet(url, {
      headers,
      transport: options.transport ?? 'socket',
      signal: options.signal,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      lookup: options.lookup,
      ca: options.ca,
    });
  } catch (err) {
    if (options.signal?.aborted) {
      throw cancelled();
    }
    if (err instanceof HopRefusedError) {
      throw new DownloadError(err.message, 'refused', { requested: false });
    }
    return { type: 'retry', reason: `network error (${networkMessage(err)})` };
  }
  const status = res.status;
  if (status >= 300 && status < 400 && res.headers.location && status !== 304) {
    res.destroy();
    return { type: 'redirect', location: res.headers.location, status };
  }
  if (status === 412 || status === 416) {
    res.destroy();
    return { type: 'restart', reason: status === 412 ? 'the object changed since the first part was fetched' : 'the saved part no longer fits' };
  }
  if (status < 200 || status >= 300) {
    const body = await readErrorBody(res);
    if (options.signal?.aborted) {
      throw cancelled();
    }
    const report = explainS3Error(status, body, { operation: 'download', presigned: options.presigned ?? true });
    if (report.kind === 'server' || report.kind === 'throttled') {
      return { type: 'retry', reason: redactUrlsInText(formatS3Error(report)), status };
    }
    throw new DownloadError(redactUrlsInText(formatS3Error(report)), report.kind === 'expired' ? 'expired' : 'refused', {
      status,
      s3Code: report.code,
      requested: true,
    });
  }

  let start = 0;
  let total: number | undefined;
  const length = /^\d+$/.test(res.headers['content-length'] ?? '') ? Number(res.headers['content-length']) : undefined;
  if (status === 206) {
    const cr = parseContentRange(res.headers['content-range']);
    if (!cr || cr.start !== part.bytes) {
      res.destroy();
      return { type: 'restart', reason: 'the server answered a different range' };
    }
    start = cr.start;
    total = cr.total ?? (length !== undefined ? start + length : undefined);
  } else {
    total = length;
  }
  const etag = res.headers.etag;
  const lastModified = res.headers['last-modified'];
  // A continuation is only spliced onto the part when its validator proves it is the same object version.
  if (start > 0 && !(part.etag ? etag === part.etag : part.lastModified !== undefined && lastModified === part.lastModified)) {
    res.destroy();
    return { type: 'restart', reason: 'the server could not show that the object is unchanged since the first part' };
  }
  part.etag = etag;
  part.lastModified = lastModified;
  if (start > 0) {
    part.resumedFrom = start;
  }

  let writer: PartWriter;
  try {
    if (!part.path) {
      part.path = await createUniqueFile(options.targetFolder, baseName, '.part');
    }
    writer = await PartWriter.open(part.path, start, () => (writer.failed ? res.destroy() : res.resume()), options.syncWrites);
  } catch (err) {
    res.destroy();
    throw filesystemError(`Cannot write a file in ${options.targetFolder}`, err);
  }

  let received = start;
  const ended = await new Promise<{ complete: boolean; error?: Error }>((resolve) => {
    res.start({
      onData: (chunk) => {
        received += chunk.length;
        if (!writer.write(chunk)) {
          // A failed write stops the transfer at once; close() below reports why.
          if (writer.failed) {
            res.destroy();
          } else {
            res.pause();
          }
        }
        onBytes(chunk.length, received, total);
      },
      onEnd: (complete, error) => resolve({ complete, error }),
    });
  });
  // Keep what arrived: a later attempt resumes from it (a cancelled download is removed by the caller).
  try {
    await writer.close(options.signal?.aborted);
  } catch (err) {
    throw filesystemError(`Cannot write ${part.path}`, err);
  }
  part.bytes = writer.written;
  if (options.signal?.aborted) {
    throw cancelled();
  }
  if (!ended.complete || (total !== undefined && writer.written < total)) {
    const why = ended.error && ended.error.message !== 'incomplete' ? ` (${networkMessage(ended.error)})` : '';
    return { type: 'retry', reason: `the connection ended after ${received} of ${total ?? 'an unknown number of'} bytes${why}` };
  }
  if (total !== undefined && writer.written !== total) {
    return { type: 'retry', reason: `received ${writer.written} bytes but the server announced ${total}` };
  }
  return {
    type: 'done',
    total: writer.written,
    etag,
    contentType: res.headers['content-type'],
    contentDisposition: res.headers['content-disposition'],
  };
}

function readErrorBody(res: GetResponse): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.start({
      onData: (chunk) => {
        if (size < maxErrorBody) {
          chunks.push(Buffer.from(chunk));
          size += chunk.length;
        }
      },
      onEnd: () => resolve(Buffer.concat(chunks).toString('utf8')),
    });
  });
}
