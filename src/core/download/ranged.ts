import { open, type FileHandle } from 'node:fs/promises';
import { DownloadError } from './downloadError';
import type { GetResponse } from './httpGet';
import type { DownloadOptions } from './options';
import { writeLedger, type PartLedger } from './partLedger';
import { PartWriter } from './partWriter';
import { baseHeaders, cancelled, filesystemError, nonSuccess, parseContentRange, sameVersion, sendGet, sleep, streamInto, validatorHeaders } from './support';

/**
 * Parallel ranged downloads. A large object is fetched as fixed ranges over
 * several connections, each range written at its offset in the `.part` file
 * (positional writes: nothing is reassembled in memory), every request
 * carrying the first answer's validator (If-Match: a changed object answers
 * 412 and the whole download restarts instead of mixing versions). A range
 * that fails is retried on its own, from the last byte written; finished
 * ranges are recorded in the ledger next to the `.part`, so a later resume
 * fetches only what is missing.
 *
 * The first answer (an open-ended `bytes=0-`) decides whether ranges pay:
 * its first {@link sampleBytes} are timed, and a connection that already
 * carries {@link fastConnection} is not capped by the server, so more
 * connections would only add work on this machine (measured on plain
 * loopback: 8 connections 0.76x curl's speed, one 1.0x); it then reads the
 * whole object alone. A capped connection (S3: about 85-90 MB/s each) starts
 * the other connections as soon as it is known not to be that fast (when a
 * fast one would have delivered the sample), not after the whole sample.
 *
 * Transport: the same fixed-buffer socket client as single streams (see
 * httpGet.ts), one connection per range request. Measured with
 * `npm run bench` (paced server, 8 connections, 256 MiB, same run): the socket
 * client and node:http agents reach the same wall time when each connection is
 * capped (the cap, not the client, is the limit), but the socket client keeps
 * peak RSS lower because a read allocates nothing; undici was ruled out for
 * single streams already (fresh 64 KiB buffer per read, +1.1 MB bundle).
 */
export interface RangedJob {
  url: URL;
  partPath: string;
  ledger: PartLedger;
  options: DownloadOptions;
  connections: number;
  /** See `ParallelOptions.fastConnectionBytesPerSecond`. */
  fastConnectionBytesPerSecond?: number;
  /** The first answer (an open-ended 206 from byte 0), read as range 0 when range 0 is missing. */
  first?: GetResponse;
  onBytes: (bytesOnDisk: number) => void;
  /** Counts requests (attempts), for the result and `onRequest`. */
  onRequest: (range: string) => number;
}

/** Bytes of the first answer timed before the other connections start. */
const sampleBytes = 2 * 1024 * 1024;
/** Bytes per second above which one connection is left to fetch everything (by default). */
const fastConnection = 200e6;

export type RangedOutcome = { type: 'rangesDone' } | { type: 'restart'; reason: string };

/** A range's failure that another try may cure, or the end of the whole download. */
type RangeTry = { type: 'complete' } | { type: 'retry'; reason: string; status?: number } | { type: 'restart'; reason: string };

export function rangeBounds(ledger: PartLedger, index: number): { start: number; end: number } {
  const start = index * ledger.partBytes;
  return { start, end: Math.min(ledger.total, start + ledger.partBytes) };
}

/** Fetches every range missing from the ledger. Throws a {@link DownloadError} for final failures (the ledger stays for a resume). */
export async function fetchRanges(job: RangedJob): Promise<RangedOutcome> {
  const { ledger, options } = job;
  let count = Math.ceil(ledger.total / ledger.partBytes);
  const done = new Set(ledger.done);
  const queue = Array.from({ length: count }, (_, i) => i).filter((i) => !done.has(i));
  const inFlight = new Map<number, number>();
  let doneBytes = [...done].reduce((sum, i) => sum + rangeBounds(ledger, i).end - rangeBounds(ledger, i).start, 0);
  const report = () => job.onBytes(doneBytes + [...inFlight.values()].reduce((a, b) => a + b, 0));

  // One controller stops every connection when one range ends the download (restart, refusal, full disk).
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
  let ending: RangedOutcome | DownloadError | undefined;
  let gaveUp: DownloadError | undefined;
  const end = (why: RangedOutcome | DownloadError) => {
    ending ??= why;
    stop.abort();
  };

  let file: FileHandle;
  try {
    file = await open(job.partPath, 'r+');
    // Sized up front: ranges land at their offsets, and the file is already its final length.
    await file.truncate(ledger.total);
  } catch (err) {
    job.first?.destroy();
    throw filesystemError(`Cannot write ${job.partPath}`, err);
  }
  let saving = Promise.resolve();
  const record = (index: number) => {
    done.add(index);
    // The caller's ledger follows too: a failure reports how much is kept.
    ledger.done = [...done].sort((a, b) => a - b);
    const snapshot: PartLedger = { ...ledger };
    saving = saving.then(() => writeLedger(job.partPath, snapshot));
    return saving;
  };

  // The other connections wait for the first answer's sample (see above); without one they start at once.
  let release = () => {};
  const decided = new Promise<void>((resolve) => (release = resolve));
  const started = performance.now();
  const fastRate = job.fastConnectionBytesPerSecond ?? fastConnection;
  // Decided before the first range is over, so that a fast connection can still read on.
  const sampleTarget = Math.min(sampleBytes, ledger.partBytes / 2);
  let sampled = 0;
  let undecided = true;
  let deadline: NodeJS.Timeout | undefined;
  // Decided once: deciding on every later read rewrote the ledger ~1000 times per GiB (a file and a rename each).
  const decide = (fast: boolean) => {
    if (!undecided) {
      return;
    }
    undecided = false;
    clearTimeout(deadline);
    if (fast) {
      // One range, the whole object, for the connection already reading it.
      ledger.partBytes = ledger.total;
      count = 1;
      queue.length = 0;
      const snapshot: PartLedger = { ...ledger };
      saving = saving.then(() => writeLedger(job.partPath, snapshot));
    }
    release();
  };
  const sample = (n: number) => {
    sampled += n;
    if (undecided && sampled >= sampleTarget) {
      decide(sampled / ((performance.now() - started) / 1000) >= fastRate);
    }
  };

  const tryRange = async (index: number, from: number, res: GetResponse | undefined): Promise<RangeTry> => {
    const stopAt = () => rangeBounds(ledger, index).end;
    const sampling = res !== undefined && index === 0;
    if (!res) {
      const range = `bytes=${from}-${stopAt() - 1}`;
      job.onRequest(range);
      const sent = await sendGet(job.url, { ...baseHeaders(), Range: range, ...validatorHeaders(ledger) }, options, signal);
      if ('type' in sent) {
        return sent.type === 'retry' ? sent : { type: 'retry', reason: `unexpected ${sent.type}` };
      }
      res = sent;
      const failed = await nonSuccess(sent, options, signal);
      if (failed?.type === 'restart') {
        return { type: 'restart', reason: failed.reason };
      }
      if (failed) {
        return failed.type === 'retry' ? failed : { type: 'retry', reason: `the server answered a range with ${res.status}` };
      }
      const cr = parseContentRange(res.headers['content-range']);
      if (res.status !== 206 || !cr || cr.start !== from || cr.total !== ledger.total || !sameVersion(ledger, res.headers)) {
        res.destroy();
        return { type: 'restart', reason: res.status === 200 ? 'the server stopped answering ranges' : 'the object changed while its ranges were fetched' };
      }
    }
    const answer = res;
    const writer = PartWriter.at(file, from, () => (writer.failed ? answer.destroy() : answer.resume()), options.syncWrites === true, 2);
    inFlight.set(index, from - rangeBounds(ledger, index).start);
    const ended = await streamInto(
      answer,
      writer,
      job.partPath,
      (n) => {
        inFlight.set(index, (inFlight.get(index) ?? 0) + n);
        report();
      },
      { limit: () => stopAt() - from, onArrival: sampling ? sample : undefined },
    );
    if (sampling) {
      release();
    }
    if (writer.written === stopAt()) {
      return { type: 'complete' };
    }
    const why = ended.error && ended.error.message !== 'incomplete' ? ` (${ended.error.message})` : '';
    return { type: 'retry', reason: `a range ended after ${writer.written - from} of ${stopAt() - from} bytes${why}` };
  };

  const fetchRange = async (index: number, first: GetResponse | undefined): Promise<void> => {
    const delays = options.retryDelaysMs ?? [500, 1000, 2000, 4000];
    let from = rangeBounds(ledger, index).start;
    for (let failures = 0; ; failures++) {
      const outcome = await tryRange(index, from, failures === 0 ? first : undefined);
      if (signal.aborted) {
        return;
      }
      if (outcome.type === 'complete') {
        inFlight.delete(index);
        doneBytes += rangeBounds(ledger, index).end - rangeBounds(ledger, index).start;
        await record(index);
        return;
      }
      if (outcome.type === 'restart') {
        end(outcome);
        return;
      }
      if (failures >= delays.length) {
        // The other ranges go on: everything they finish is kept for a resume.
        gaveUp ??= new DownloadError(`The download failed: ${outcome.reason}, after ${failures + 1} tries of that range.`, 'network', {
          status: outcome.status,
          requested: true,
        });
        inFlight.delete(index);
        return;
      }
      // Continue the range from what is on disk (positional writes made it so).
      from = rangeBounds(ledger, index).start + (inFlight.get(index) ?? 0);
      await sleep(delays[failures], signal).catch(() => undefined);
    }
  };

  const worker = async (first: GetResponse | undefined) => {
    if (!first) {
      await decided;
    }
    for (let next = queue.shift(); next !== undefined && !signal.aborted; next = queue.shift()) {
      try {
        await fetchRange(next, next === 0 ? first : undefined);
        first = next === 0 ? undefined : first;
      } catch (err) {
        end(err instanceof DownloadError ? err : filesystemError(`Cannot write ${job.partPath}`, err));
      }
    }
  };

  const firstUsed = job.first && queue[0] === 0 ? job.first : undefined;
  if (job.first && !firstUsed) {
    job.first.destroy();
  }
  if (!firstUsed) {
    release();
  } else if ((1000 * sampleTarget) / fastRate < 60_000) {
    // A first connection that has not delivered the sample by the time a fast one would have is not
    // fast: the others start then, not once the whole sample is in (measured with `npm run bench`,
    // paced at 50 MB/s per connection: 2 MiB takes 42 ms, the deadline is 10 ms). A stalled one too.
    deadline = setTimeout(() => decide(false), (1000 * sampleTarget) / fastRate);
  }
  try {
    await Promise.all(Array.from({ length: Math.min(job.connections, queue.length) }, (_, i) => worker(i === 0 ? firstUsed : undefined)));
    await saving.catch((err: unknown) => end(filesystemError(`Cannot write ${job.partPath}`, err)));
  } finally {
    clearTimeout(deadline);
    await file.close();
  }
  if (options.signal?.aborted) {
    throw cancelled();
  }
  if (ending instanceof DownloadError) {
    throw ending;
  }
  if (ending) {
    return ending;
  }
  if (gaveUp) {
    throw gaveUp;
  }
  return done.size === count ? { type: 'rangesDone' } : { type: 'restart', reason: 'some ranges were not fetched' };
}
