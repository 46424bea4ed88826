import { DownloadError } from './downloadError';
import { createUniqueFile } from './fileNames';
import type { GetResponse } from './httpGet';
import type { DownloadOptions, ParallelOptions } from './options';
import { PartWriter } from './partWriter';
import { baseHeaders, cancelled, filesystemError, networkMessage, nonSuccess, parseContentRange, sameVersion, sendGet, streamInto, validatorHeaders, type Attempt } from './support';

/** The `.part` file of a download and what it holds. */
export interface PartState {
  path?: string;
  /** Bytes safely in the part file (a single stream's beginning). */
  bytes: number;
  etag?: string;
  /** Last-Modified of the object, the validator when the server sends no ETag. */
  lastModified?: string;
  /** Set when a server continued the part with a 206 from this offset. */
  resumedFrom?: number;
}

/** A first answer that opens a ranged download: the object's size and validator, and the body of its first range. */
export interface RangedStart {
  type: 'ranged';
  res: GetResponse;
  total: number;
  contentType?: string;
  contentDisposition?: string;
}

/**
 * Sends one GET and streams a 2xx body into the part file. Final failures
 * throw; transient ones resolve `retry`. With `probe`, the first request asks
 * for `bytes=0-`: a 206 for an object of at least the threshold, with a
 * validator, comes back as `ranged` (body not started) for the ranged engine;
 * otherwise the same answer is read as one stream (a 200 means no ranges).
 */
export async function requestOnce(
  url: URL,
  part: PartState,
  options: DownloadOptions,
  baseName: string,
  range: string | undefined,
  probe: ParallelOptions | undefined,
  onBytes: (n: number, received: number, total: number | undefined) => void,
): Promise<Attempt | RangedStart> {
  const headers = baseHeaders();
  if (range) {
    Object.assign(headers, { Range: range }, validatorHeaders(part));
  } else if (probe) {
    headers.Range = 'bytes=0-';
  }
  const res = await sendGet(url, headers, options, options.signal);
  if ('type' in res) {
    return res;
  }
  const failed = await nonSuccess(res, options, options.signal);
  if (failed) {
    return failed;
  }
  let start = 0;
  let total: number | undefined;
  const length = /^\d+$/.test(res.headers['content-length'] ?? '') ? Number(res.headers['content-length']) : undefined;
  if (res.status === 206) {
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
  if (options.maxBytes !== undefined && total !== undefined && total > options.maxBytes) {
    res.destroy();
    throw tooLarge(total, options.maxBytes, res.status);
  }
  // A continuation is only spliced onto the part when its validator proves it is the same object version.
  if (start > 0 && !sameVersion(part, res.headers)) {
    res.destroy();
    return { type: 'restart', reason: 'the server could not show that the object is unchanged since the first part' };
  }
  part.etag = res.headers.etag;
  part.lastModified = res.headers['last-modified'];
  if (start > 0) {
    part.resumedFrom = start;
  }
  if (
    probe &&
    res.status === 206 &&
    start === 0 &&
    total !== undefined &&
    total >= probe.thresholdBytes &&
    probe.connections > 1 &&
    (part.etag || part.lastModified)
  ) {
    return { type: 'ranged', res, total, contentType: res.headers['content-type'], contentDisposition: res.headers['content-disposition'] };
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
  let overLimit = false;
  // Keep what arrived: a later attempt resumes from it (a cancelled download is removed by the caller).
  const ended = await streamInto(
    res,
    writer,
    part.path,
    (n) => {
      received += n;
      if (options.maxBytes !== undefined && received > options.maxBytes && !overLimit) {
        // No size was announced (else it was checked above): stop at the limit.
        overLimit = true;
        res.destroy();
      }
      onBytes(n, received, total);
    },
    { discard: () => options.signal?.aborted === true || overLimit },
  );
  part.bytes = writer.written;
  if (options.signal?.aborted) {
    throw cancelled();
  }
  if (overLimit) {
    throw tooLarge(undefined, options.maxBytes!, res.status);
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
    etag: part.etag,
    contentType: res.headers['content-type'],
    contentDisposition: res.headers['content-disposition'],
  };
}

/** A file over the fetch's size limit: refused (the caller removes anything written). */
function tooLarge(total: number | undefined, limit: number, status: number): DownloadError {
  const size = total !== undefined ? `is ${total} bytes` : `sent more than ${limit} bytes without announcing its size`;
  return new DownloadError(`The file ${size}, over the limit of ${limit} bytes set for this fetch; nothing was saved.`, 'refused', { status });
}
