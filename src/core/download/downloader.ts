import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { nextHop } from '../http/hops';
import { redactUrl } from '../redact';
import { DownloadError } from './downloadError';
import { createUniqueFile, fileNameFromContentDisposition, moveIntoPlace, sanitizeFileName } from './fileNames';
import { parallelDefaults, type DownloadOptions, type DownloadResult, type ParallelOptions } from './options';
import { removeLedger, writeLedger, type PartLedger } from './partLedger';
import { prepareDownload } from './prepare';
import { fetchRanges, rangeBounds, type RangedOutcome } from './ranged';
import { requestOnce, type RangedStart } from './singleStream';
import { filesystemError, sleep, type Attempt } from './support';

export type { DownloadOptions, DownloadProgress, DownloadResult, ParallelOptions } from './options';

const defaultRetryDelays = [500, 1000, 2000, 4000];
const maxRedirects = 5;

/** Bytes of the complete ranges in a ledger. */
function ledgerBytes(ledger: PartLedger): number {
  return ledger.done.reduce((sum, i) => sum + rangeBounds(ledger, i).end - rangeBounds(ledger, i).start, 0);
}

/** The parallel settings in force, or undefined when ranged downloads are off. */
function parallelOf(options: DownloadOptions): ParallelOptions | undefined {
  const p = { ...parallelDefaults, ...options.parallel };
  return p.connections > 1 ? { ...p, partBytes: Math.max(1, Math.floor(p.partBytes)) } : undefined;
}

/**
 * Downloads a URL into the target folder: streams to `<name>.part` (memory
 * stays flat, the socket is paused while the disk catches up), verifies the
 * byte count, then moves it to its final name without overwriting anything
 * (` (1)`, ` (2)`…). Refuses an already-expired link before any request. An
 * object of at least the parallel threshold is fetched as ranges over several
 * connections (see ranged.ts); a server that ignores `Range`, gives no
 * length or no validator, or a small object, gets one stream. A dropped
 * connection, a short body or a 5xx is retried with backoff, resuming with
 * `Range` + `If-Match` (the ETag) when the server allows, else restarting.
 * S3's XML errors become plain messages. Cancel with `signal`: the `.part`
 * file is removed (kept with `keepPartOnCancel`). After the retries the
 * `.part` file is kept and its path and validator are in the error's
 * details, for `resume`.
 */
export async function downloadUrl(options: DownloadOptions): Promise<DownloadResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const { url, baseName, part, ledger: resumedLedger } = await prepareDownload(options, now);
  let ledger = resumedLedger;
  const parallel = parallelOf(options);
  let probe = parallel;
  const resumedFrom = ledger ? ledgerBytes(ledger) : undefined;

  const retryDelays = options.retryDelaysMs ?? defaultRetryDelays;
  const progressEvery = options.progressIntervalMs ?? 200;
  let failures = 0;
  let attempts = 0;
  let restarts = 0;
  let redirects = 0;
  let current = url;
  let transferred = 0;
  let lastProgress = 0;
  let lastTotal: number | undefined = ledger?.total;
  let liveBytes = ledger ? (resumedFrom ?? 0) : part.bytes;
  let meta: { contentType?: string; contentDisposition?: string } = {};
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
      await removeLedger(part.path);
    }
  };
  /** What the caller can resume from, or undefined when nothing useful is on disk. */
  const kept = () => {
    const bytes = ledger ? ledgerBytes(ledger) : part.bytes;
    return part.path && bytes > 0 ? { partPath: part.path, etag: ledger?.etag ?? part.etag, lastModified: ledger?.lastModified ?? part.lastModified, bytes } : undefined;
  };
  const stopped = async (): Promise<never> => {
    const resumable = options.keepPartOnCancel ? kept() : undefined;
    if (!resumable) {
      await cleanUp();
    }
    throw new DownloadError('The download was cancelled.', 'cancelled', { requested: true, ...resumable });
  };

  const runRanged = async (first: RangedStart | undefined): Promise<RangedOutcome> => {
    if (first) {
      part.path ??= await createUniqueFile(options.targetFolder, baseName, '.part').catch((err: unknown) => {
        first.res.destroy();
        throw filesystemError(`Cannot write a file in ${options.targetFolder}`, err);
      });
      meta = { contentType: first.contentType, contentDisposition: first.contentDisposition };
      // As many ranges as connections when that keeps them between the part size and twice it: fewer
      // requests (each pays a first-byte latency) for large objects, and every connection busy for smaller ones.
      const p = parallel!.partBytes;
      const partBytes = Math.min(2 * p, Math.max(p, Math.ceil(first.total / parallel!.connections)));
      ledger = { version: 1, total: first.total, partBytes, etag: part.etag, lastModified: part.lastModified, done: [] };
      lastTotal = first.total;
      await writeLedger(part.path, ledger).catch((err: unknown) => {
        first.res.destroy();
        throw filesystemError(`Cannot write ${part.path}`, err);
      });
    }
    const job = ledger!;
    const before = ledgerBytes(job);
    return fetchRanges({
      url: current,
      partPath: part.path!,
      ledger: job,
      options,
      connections: parallel?.connections ?? parallelDefaults.connections,
      fastConnectionBytesPerSecond: parallel?.fastConnectionBytesPerSecond,
      first: first?.res,
      onBytes: (bytesOnDisk) => {
        transferred = bytesOnDisk - before;
        liveBytes = bytesOnDisk;
        report(false);
      },
      onRequest: (range) => {
        options.onRequest?.({ attempt: attempts, range, redactedUrl: redactUrl(current.toString()) });
        return attempts++;
      },
    });
  };

  for (;;) {
    if (options.signal?.aborted) {
      return stopped();
    }
    let outcome: Attempt | RangedOutcome;
    try {
      if (ledger) {
        outcome = await runRanged(undefined);
      } else {
        attempts++;
        const range = part.bytes > 0 && (part.etag || part.lastModified) ? `bytes=${part.bytes}-` : undefined;
        options.onRequest?.({ attempt: attempts, range, redactedUrl: redactUrl(current.toString()) });
        const first = await requestOnce(current, part, options, baseName, range, range ? undefined : probe, (n, received, total) => {
          transferred += n;
          liveBytes = received;
          lastTotal = total;
          report(false);
        });
        outcome = first.type === 'ranged' ? await runRanged(first) : first;
      }
    } catch (err) {
      if (err instanceof DownloadError && err.kind === 'cancelled') {
        return stopped();
      }
      const resumable = err instanceof DownloadError && err.kind === 'network' ? kept() : undefined;
      if (!resumable) {
        await cleanUp();
        throw err;
      }
      throw new DownloadError(
        `${(err as Error).message} The ${resumable.bytes} bytes received so far are kept in ${resumable.partPath} and the download can be resumed.`,
        'network',
        { ...(err as DownloadError).details, ...resumable },
      );
    }
    if (outcome.type === 'done' || outcome.type === 'rangesDone') {
      const single = outcome.type === 'done' ? outcome : undefined;
      const total = single ? single.total : ledger!.total;
      liveBytes = total;
      report(true);
      const headerName = fileNameFromContentDisposition(single ? single.contentDisposition : meta.contentDisposition);
      const finalName = sanitizeFileName(options.fileName ?? headerName ?? baseName, baseName);
      let finalPath: string;
      try {
        finalPath = await moveIntoPlace(part.path!, options.targetFolder, finalName);
        await removeLedger(part.path!);
      } catch (err) {
        await cleanUp();
        throw filesystemError(`Cannot save ${finalName} in ${options.targetFolder}`, err);
      }
      return {
        path: finalPath,
        fileName: basename(finalPath),
        bytes: total,
        etag: single ? single.etag : ledger?.etag,
        contentType: single ? single.contentType : meta.contentType,
        attempts,
        resumedFrom: part.resumedFrom ?? (resumedFrom || undefined),
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
      // The server cannot continue (object changed, or ranges unsupported): start from byte 0, keeping nothing.
      if ('status' in outcome && outcome.status === 416 && part.bytes === 0 && !ledger) {
        probe = undefined; // `bytes=0-` of an empty object: S3 answers 416; ask without a range.
      }
      part.bytes = 0;
      part.etag = undefined;
      part.lastModified = undefined;
      part.resumedFrom = undefined;
      if (part.path) {
        await removeLedger(part.path);
      }
      ledger = undefined;
      if (++restarts > retryDelays.length + 2) {
        await cleanUp();
        throw new DownloadError(`The download kept restarting (${outcome.reason}).`, 'network', { requested: true });
      }
      continue;
    }
    if (failures >= retryDelays.length) {
      const resumable = kept();
      if (!resumable) {
        await cleanUp();
      }
      throw new DownloadError(
        `The download failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${outcome.reason}.` +
          (resumable ? ` The ${resumable.bytes} bytes received so far are kept in ${resumable.partPath} and the download can be resumed.` : ''),
        'network',
        { status: outcome.status, requested: true, ...resumable },
      );
    }
    try {
      await sleep(retryDelays[failures], options.signal);
    } catch {
      return stopped();
    }
    failures++;
  }
}
