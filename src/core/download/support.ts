import { redactUrlsInText } from '../redact';
import { explainS3Error, formatS3Error, type S3ErrorReport } from '../s3/s3Errors';
import { productVersion } from '../version';
import { HopRefusedError } from '../http/hops';
import { DownloadError } from './downloadError';
import { httpGet, type GetResponse } from './httpGet';
import type { DownloadOptions } from './options';
import type { PartWriter } from './partWriter';

const maxErrorBody = 64 * 1024;

/** Headers every download request sends. */
export function baseHeaders(): Record<string, string> {
  return { 'User-Agent': `s3-hooks/${productVersion}`, 'Accept-Encoding': 'identity' };
}

/** The conditional header that makes a server refuse (412) a range of a different object version. */
export function validatorHeaders(validator: { etag?: string; lastModified?: string }): Record<string, string> {
  return validator.etag ? { 'If-Match': validator.etag } : validator.lastModified ? { 'If-Unmodified-Since': validator.lastModified } : {};
}

/** Whether an answer's validator proves it is the same object version as `validator`. */
export function sameVersion(validator: { etag?: string; lastModified?: string }, headers: Record<string, string>): boolean {
  return validator.etag ? headers.etag === validator.etag : validator.lastModified !== undefined && headers['last-modified'] === validator.lastModified;
}

export function cancelled(): DownloadError {
  return new DownloadError('The download was cancelled.', 'cancelled', { requested: true });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
export function parseContentRange(header: string | undefined): { start: number; total?: number } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!m) {
    return undefined;
  }
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

/** A write failure in one line, with what the user can do about the common ones. */
export function filesystemError(what: string, err: unknown): DownloadError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ' The disk is full: free some space or save to another folder.'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? ' The folder cannot be written: choose another folder.'
        : '';
  return new DownloadError(`${what}: ${networkMessage(err)}.${hint}`, 'filesystem', { requested: true });
}

export function networkMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // Node's own messages already start with the code (`ENOSPC: no space left…`).
  const code = e?.code && !e.message?.startsWith(e.code) ? `${e.code}: ` : '';
  return redactUrlsInText(`${code}${e?.message ?? String(err)}`);
}

/** What a non-2xx answer means: retry it (5xx, throttling) or a final error, thrown. */
export async function explainFailedAnswer(res: GetResponse, presigned: boolean, signal?: AbortSignal): Promise<{ reason: string; status: number }> {
  const status = res.status;
  const body = await readErrorBody(res);
  if (signal?.aborted) {
    throw cancelled();
  }
  const report: S3ErrorReport = explainS3Error(status, body, { operation: 'download', presigned });
  if (report.kind === 'server' || report.kind === 'throttled') {
    return { reason: redactUrlsInText(formatS3Error(report)), status };
  }
  throw new DownloadError(redactUrlsInText(formatS3Error(report)), report.kind === 'expired' ? 'expired' : 'refused', {
    status,
    s3Code: report.code,
    requested: true,
  });
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

/** What one request ended with, when it did not throw a final error. */
export type Attempt =
  | { type: 'done'; total: number; etag?: string; contentType?: string; contentDisposition?: string }
  | { type: 'redirect'; location: string; status: number }
  | { type: 'retry'; reason: string; status?: number }
  | { type: 'restart'; reason: string; status?: number };

/** Sends a GET; a connection failure becomes `retry`, a hop the policy refuses a final error. */
export async function sendGet(url: URL, headers: Record<string, string>, options: DownloadOptions, signal: AbortSignal | undefined): Promise<GetResponse | Attempt> {
  try {
    return await httpGet(url, {
      headers,
      transport: options.transport ?? 'socket',
      signal,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      lookup: options.lookup,
      ca: options.ca,
    });
  } catch (err) {
    if (signal?.aborted) {
      throw cancelled();
    }
    if (err instanceof HopRefusedError) {
      throw new DownloadError(err.message, 'refused', { requested: false });
    }
    return { type: 'retry', reason: `network error (${networkMessage(err)})` };
  }
}

/** The outcome of an answer that is not a 2xx body (undefined for a 2xx); final refusals throw. */
export async function nonSuccess(res: GetResponse, options: DownloadOptions, signal: AbortSignal | undefined): Promise<Attempt | undefined> {
  const status = res.status;
  if (status >= 300 && status < 400 && res.headers.location && status !== 304) {
    res.destroy();
    return { type: 'redirect', location: res.headers.location, status };
  }
  if (status === 412 || status === 416) {
    res.destroy();
    return { type: 'restart', status, reason: status === 412 ? 'the object changed since the first part was fetched' : 'the saved part no longer fits' };
  }
  if (status < 200 || status >= 300) {
    const failed = await explainFailedAnswer(res, options.presigned ?? true, signal);
    return { type: 'retry', ...failed };
  }
  return undefined;
}

/**
 * Streams a body into a writer, at most `limit` bytes (then the connection is
 * dropped: the rest belongs to other ranges; a function is asked again after
 * every piece, so the limit can grow). Resolves once the writer has closed; a
 * write failure rejects with a `filesystem` error naming `path`.
 */
export async function streamInto(
  res: GetResponse,
  writer: PartWriter,
  path: string,
  onChunk: (n: number) => void,
  options: {
    limit?: number | (() => number);
    discard?: () => boolean;
    /** Sees every piece as it arrives, before the limit applies (it may raise the limit). */
    onArrival?: (n: number) => void;
  } = {},
): Promise<{ complete: boolean; error?: Error }> {
  const limit = () => (typeof options.limit === 'function' ? options.limit() : (options.limit ?? Infinity));
  let taken = 0;
  const ended = await new Promise<{ complete: boolean; error?: Error }>((resolve) => {
    res.start({
      onData: (whole) => {
        options.onArrival?.(whole.length);
        const left = limit() - taken;
        if (left <= 0) {
          return;
        }
        const chunk = whole.length > left ? whole.subarray(0, left) : whole;
        taken += chunk.length;
        if (!writer.write(chunk)) {
          // A failed write stops the transfer at once; close() below reports why.
          if (writer.failed) {
            res.destroy();
          } else {
            res.pause();
          }
        }
        onChunk(chunk.length);
        if (taken >= limit()) {
          resolve({ complete: true });
          res.destroy();
        }
      },
      onEnd: (complete, error) => resolve({ complete, error }),
    });
  });
  try {
    await writer.close(options.discard?.());
  } catch (err) {
    throw filesystemError(`Cannot write ${path}`, err);
  }
  return ended;
}
