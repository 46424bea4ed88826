import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadError, downloadUrl, type DownloadProgress } from '../../../../src/core/download';
import { startFaultServer, type FaultServer, type FaultServerOptions } from '../../../support/faultServer';
import { rejectionOf } from '../../../support/rejection';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const rejection = (promise: Promise<unknown>): Promise<DownloadError> => rejectionOf(promise, DownloadError);

const KiB = 1024;
/**
 * Small numbers so a test moves a few MiB: 3 MiB + 5 bytes, 4 connections, a part size of 256 KiB. One
 * range per connection would be 768 KiB, more than twice the part size, so ranges are 512 KiB (7 ranges).
 * Loopback is fast, so no first connection counts as fast here (else it would fetch everything alone:
 * tested separately).
 */
const parallel = { thresholdBytes: 1024 * KiB, partBytes: 256 * KiB, connections: 4, fastConnectionBytesPerSecond: Infinity };
const part = 512 * KiB;
const rangeOf = (i: number, total: number) => `bytes=${i * part}-${Math.min(total, (i + 1) * part) - 1}`;

for (const transport of ['socket', 'node'] as const) {
  describe(`parallel ranged downloads (${transport} transport)`, () => {
    let server: FaultServer | undefined;
    let folder: string;
    const body = randomBytes(3 * 1024 * KiB + 5);
    const ranges = Math.ceil(body.length / part);
    const base = { transport, parallel, retryDelaysMs: [5, 5, 5] };

    async function serve(options: Partial<FaultServerOptions>): Promise<FaultServer> {
      server = await startFaultServer({ body, etag: '"v1"', ...options });
      return server;
    }
    const asked = (s: FaultServer) => s.requests.map((r) => r.headers.range);

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 's3-hooks-ranged-'));
    });
    afterEach(async () => {
      await server?.close();
      server = undefined;
      await rm(folder, { recursive: true, force: true });
    });

    it('fetches a large object as ranges at once, each with If-Match, written in place; progress reaches the total', async () => {
      const s = await serve({});
      const progress: DownloadProgress[] = [];
      const result = await downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      assert.equal(asked(s)[0], 'bytes=0-', 'the first request asks for everything and learns the size');
      assert.deepEqual(asked(s).slice(1).sort(), Array.from({ length: ranges - 1 }, (_, i) => rangeOf(i + 1, body.length)).sort());
      assert.ok(s.requests.slice(1).every((r) => r.headers['if-match'] === '"v1"'));
      assert.equal(result.attempts, ranges);
      assert.equal(progress.at(-1)?.bytes, body.length);
      assert.equal(progress.at(-1)?.total, body.length);
      assert.deepEqual(await readdir(folder), ['big.bin'], 'no .part and no range record left');
    });

    it('a range dropped mid-way is retried alone, from the last byte written', async () => {
      const broken = rangeOf(4, body.length);
      const s = await serve({ faultForRange: (range, seen) => (range === broken && seen === 0 ? { kind: 'drop', afterBytes: 100 * KiB } : undefined) });
      const result = await downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base });
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      const tries = asked(s).filter((r) => r?.endsWith(`-${5 * part - 1}`));
      assert.equal(tries.length, 2, `range 4 asked twice: ${asked(s).join(' ')}`);
      assert.equal(tries[0], broken);
      const from = Number(/^bytes=(\d+)-/.exec(tries[1]!)![1]);
      assert.ok(from > 4 * part && from <= 4 * part + 100 * KiB, `continued at ${from}`);
      for (let i = 1; i < ranges; i++) {
        if (i !== 4) {
          assert.equal(asked(s).filter((r) => r === rangeOf(i, body.length)).length, 1, `range ${i} asked once`);
        }
      }
    });

    it('a range that keeps failing ends the call with a resumable .part; the resume fetches only that range', async () => {
      const broken = rangeOf(5, body.length);
      const s = await serve({ faultForRange: (range) => (range === broken ? { kind: 'status', status: 503 } : undefined) });
      const err = await rejection(downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base, retryDelaysMs: [5] }));
      assert.equal(err.kind, 'network');
      assert.ok(err.details.partPath && existsSync(err.details.partPath));
      assert.ok(existsSync(`${err.details.partPath}.ranges.json`), 'the finished ranges are recorded next to the .part');
      assert.equal(err.details.bytes, body.length - part);
      assert.match(err.message, /can be resumed/);
      await s.close();
      const fresh = await serve({});
      const result = await downloadUrl({ url: fresh.url('/big.bin'), targetFolder: folder, ...base, resume: { partPath: err.details.partPath } });
      assert.deepEqual(asked(fresh), [broken], 'only the missing range');
      assert.equal(result.resumedFrom, body.length - part);
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      assert.deepEqual(await readdir(folder), ['big.bin']);
    });

    it('an object that changes between ranges (ETag differs) restarts cleanly: the new version, whole', async () => {
      const s = await serve({});
      const changed = randomBytes(body.length);
      let swapped = false;
      const result = await downloadUrl({
        url: s.url('/big.bin'),
        targetFolder: folder,
        ...base,
        onRequest: ({ attempt }) => {
          if (attempt === 3 && !swapped) {
            swapped = true;
            s.replace(changed, '"v2"');
          }
        },
      });
      assert.ok(s.requests.some((r) => r.headers['if-match'] === '"v1"'), 'ranges carried the first validator');
      assert.equal(sha256(await readFile(result.path)), sha256(changed), 'never a mix of the two versions');
      assert.equal(result.etag, '"v2"');
      assert.deepEqual(await readdir(folder), ['big.bin']);
    });

    it('a first connection as fast as the threshold fetches everything alone (one request, the ledger rewritten to one range)', async () => {
      const s = await serve({});
      const result = await downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base, parallel: { ...parallel, fastConnectionBytesPerSecond: 1 } });
      assert.deepEqual(asked(s), ['bytes=0-']);
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      assert.deepEqual(await readdir(folder), ['big.bin']);
    });

    it('a first connection that is not fast starts the other ranges before its own 2 MiB sample is in', async () => {
      // 32 KiB every 20 ms: the sample (256 KiB here) would take 140 ms; a 200 MB/s connection would have sent it in 1.3 ms.
      const s = await serve({ faults: [{ kind: 'slow', chunkBytes: 32 * KiB, intervalMs: 20 }] });
      let bytes = 0;
      const bytesAtRequest: number[] = [];
      const result = await downloadUrl({
        url: s.url('/big.bin'),
        targetFolder: folder,
        ...base,
        parallel: { ...parallel, fastConnectionBytesPerSecond: 200e6 },
        progressIntervalMs: 0,
        onProgress: (p) => (bytes = p.bytes),
        onRequest: () => bytesAtRequest.push(bytes),
      });
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      assert.equal(asked(s).length, ranges);
      assert.ok(bytesAtRequest[1] < 256 * KiB, `the second range was asked for after ${bytesAtRequest[1]} bytes of the first`);
    });

    it('a fast first connection rewrites the range record once, not on every read after the decision', async () => {
      // 64 KiB pieces: dozens of reads after the decision (taken at 256 KiB), each of which used to rewrite the record.
      const s = await serve({ faults: [{ kind: 'slow', chunkBytes: 64 * KiB, intervalMs: 1 }] });
      const ledgerName = 'big.bin.part.ranges.json';
      const seen: string[] = [];
      const watcher = watch(folder, (_event, name) => seen.push(String(name)));
      try {
        await downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base, parallel: { ...parallel, fastConnectionBytesPerSecond: 1 } });
        // Events arrive in order: once the marker's is in, every event of the download is too.
        const marked = new Promise<void>((resolve) => watcher.on('change', (_event, name) => String(name) === 'marker' && resolve()));
        await writeFile(join(folder, 'marker'), '');
        await marked;
      } finally {
        watcher.close();
      }
      assert.deepEqual(asked(s), ['bytes=0-']);
      const touched = seen.filter((name) => name === ledgerName).length;
      // Written when the ranges start, rewritten to one range at the decision, removed at the end.
      assert.ok(touched >= 2 && touched <= 4, `the range record was touched ${touched} times`);
    });

    it('a server that ignores Range (200) gets one stream', async () => {
      const s = await serve({ ranges: false });
      const result = await downloadUrl({ url: s.url('/big.bin'), targetFolder: folder, ...base });
      assert.equal(s.requests.length, 1);
      assert.equal(sha256(await readFile(result.path)), sha256(body));
    });

    it('no length (chunked) or a small object gets one stream', async () => {
      const chunked = await serve({ chunked: true, ranges: false });
      await downloadUrl({ url: chunked.url('/a.bin'), targetFolder: folder, ...base });
      assert.equal(chunked.requests.length, 1);
      await chunked.close();
      const small = await serve({ body: body.subarray(0, 900 * KiB) });
      const result = await downloadUrl({ url: small.url('/b.bin'), targetFolder: folder, ...base });
      assert.deepEqual(asked(small), ['bytes=0-']);
      assert.equal(result.bytes, 900 * KiB);
    });

    /** Starts a slow download and cancels it once `atBytes` are in; resolves with the cancellation. */
    async function cancelAt(atBytes: number, keepPartOnCancel: boolean): Promise<DownloadError> {
      const s = await serve({ then: { kind: 'slow', chunkBytes: 32 * KiB, intervalMs: 5 } });
      const controller = new AbortController();
      return rejection(
        downloadUrl({
          url: s.url('/big.bin'),
          targetFolder: folder,
          ...base,
          keepPartOnCancel,
          signal: controller.signal,
          progressIntervalMs: 0,
          onProgress: (p) => p.bytes > atBytes && controller.abort(),
        }),
      );
    }

    it('cancel mid-way leaves a resumable .part (keepPartOnCancel), which a resume completes', async () => {
      const err = await cancelAt(body.length * 0.8, true);
      assert.equal(err.kind, 'cancelled');
      const partPath = err.details.partPath;
      assert.ok(partPath && existsSync(partPath), 'the .part is kept');
      assert.equal((await stat(partPath)).size, body.length);
      await server?.close();
      const fresh = await serve({});
      const result = await downloadUrl({ url: fresh.url('/big.bin'), targetFolder: folder, ...base, resume: { partPath } });
      assert.ok(fresh.requests.length < ranges, `only missing ranges: ${asked(fresh).join(' ')}`);
      assert.equal(sha256(await readFile(result.path)), sha256(body));
    });

    it('cancel without keepPartOnCancel removes the .part and its record', async () => {
      const err = await cancelAt(300 * KiB, false);
      assert.equal(err.kind, 'cancelled');
      assert.deepEqual(await readdir(folder), []);
    });
  });
}
