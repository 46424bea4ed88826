import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { findFileReferences } from '../../../../src/core/events';
import { DownloadError, downloadUrl, fetchReference, type DownloadProgress } from '../../../../src/core/download';
import { createS3Client } from '../../../../src/core/s3/connection';
import { startFaultServer, type FaultServer, type FaultServerOptions } from '../../../support/faultServer';
import { startLocalS3, type LocalS3 } from '../../../support/localS3';
import { rejectionOf } from '../../../support/rejection';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const rejection = (promise: Promise<unknown>): Promise<DownloadError> => rejectionOf(promise, DownloadError);

describe('downloader against the SigV4-verifying local S3', () => {
  let s3: LocalS3;
  let folder: string;
  const body = randomBytes(3 * 1024 * 1024 + 123);
  const key = 'results/analysis report.bin';

  before(async () => {
    s3 = await startLocalS3(['bkt']);
    const client = createS3Client(s3.connection);
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: key, Body: body }));
    client.destroy();
  });
  after(async () => {
    await s3?.close();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3-hooks-dl-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function presign(k: string, opts: { expiresIn?: number; signingDate?: Date } = {}): Promise<string> {
    const client = createS3Client(s3.connection);
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: k }), { expiresIn: opts.expiresIn ?? 600, signingDate: opts.signingDate });
    } finally {
      client.destroy();
    }
  }

  it('fetches the same through node:http (the extension\'s transport)', async () => {
    const result = await downloadUrl({ url: await presign(key), targetFolder: folder, transport: 'node' });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
  });

  it("fetches a presigned GET: the file's SHA-256 equals the object's, named after the key, no .part left", async () => {
    const progress: DownloadProgress[] = [];
    const result = await downloadUrl({ url: await presign(key), targetFolder: folder, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    assert.equal(result.path, join(folder, 'analysis report.bin'));
    assert.equal(result.bytes, body.length);
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.deepEqual(await readdir(folder), ['analysis report.bin']);
    const last = progress.at(-1)!;
    assert.equal(last.bytes, body.length);
    assert.equal(last.total, body.length);
    assert.ok(last.rate > 0);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i].bytes >= progress[i - 1].bytes, 'progress never goes back');
    }
  });

  it('an expired URL is refused before any request and leaves no file', async () => {
    const url = await presign(key, { expiresIn: 60, signingDate: new Date(Date.now() - 2 * 3600_000) });
    const requests: unknown[] = [];
    const target = join(folder, 'never-created');
    const err = await rejection(downloadUrl({ url, targetFolder: target, onRequest: (r) => requests.push(r) }));
    assert.equal(err.kind, 'expired');
    assert.equal(err.details.requested, false);
    assert.match(err.message, /expired 1 h ago \(at \d{4}-/);
    assert.match(err.message, /fresh link/);
    assert.equal(requests.length, 0);
    assert.equal(existsSync(target), false);
  });

  it('a tampered URL gets the SignatureDoesNotMatch message and no file', async () => {
    const url = (await presign(key)).replace(/(X-Amz-Signature=)([0-9a-f])/, (_m, p: string, c: string) => p + (c === '0' ? '1' : '0'));
    const err = await rejection(downloadUrl({ url, targetFolder: folder }));
    assert.equal(err.kind, 'refused');
    assert.equal(err.details.s3Code, 'SignatureDoesNotMatch');
    assert.equal(err.details.status, 403);
    assert.match(err.message, /signature does not match/i);
    assert.match(err.message, /changed after signing|cut short/);
    assert.ok(!/X-Amz-Signature=[0-9a-f]{16}/.test(err.message), 'no signature in the message');
    assert.deepEqual(await readdir(folder), []);
  });

  it('a missing key gets the NoSuchKey message and no file', async () => {
    const err = await rejection(downloadUrl({ url: await presign('nope/missing.txt'), targetFolder: folder }));
    assert.equal(err.kind, 'refused');
    assert.equal(err.details.s3Code, 'NoSuchKey');
    assert.match(err.message, /no object at this key/);
    assert.deepEqual(await readdir(folder), []);
  });

  it('an event that the S3 server itself calls expired (clock says later) maps to the expired kind', async () => {
    // Signed 1 h ago for 30 min: we pretend it is still valid by moving our clock back, so S3 decides.
    const signingDate = new Date(Date.now() - 3600_000);
    const url = await presign(key, { expiresIn: 1800, signingDate });
    const err = await rejection(downloadUrl({ url, targetFolder: folder, now: () => signingDate.getTime() + 1000 }));
    assert.equal(err.kind, 'expired');
    assert.equal(err.details.requested, true);
    assert.match(err.message, /expired/i);
    assert.deepEqual(await readdir(folder), []);
  });

  it('a Klavi event whose eventTime + 1 day has passed is refused before any request, though its URL says otherwise', async () => {
    const url = await presign(key, { expiresIn: 7 * 86400, signingDate: new Date(Date.now() - 2 * 86400_000) });
    const [ref] = findFileReferences({ eventId: 'e', eventTime: new Date(Date.now() - 2 * 86400_000).toISOString(), payload: { presignedUrl: url } });
    assert.equal(ref.shape, 'klavi');
    let requested = 0;
    const err = await rejection(fetchReference(ref, { targetFolder: folder, onRequest: () => requested++ }));
    assert.equal(err.kind, 'expired');
    assert.equal(requested, 0);
  });

  it('a bucket/key reference (S3 notification, no URL) is fetched through the SDK with the connection', async () => {
    const [ref] = findFileReferences({
      Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: 'bkt' }, object: { key: 'results/analysis+report.bin', size: body.length } } }],
    });
    assert.equal(ref.url, undefined);
    const result = await fetchReference(ref, { targetFolder: folder, connection: () => Promise.resolve(s3.connection) });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    const noConnection = await rejection(fetchReference(ref, { targetFolder: folder }));
    assert.equal(noConnection.kind, 'credentials');
  });

  it('never overwrites: the second fetch of the same object is saved as "name (1).ext"', async () => {
    await writeFile(join(folder, 'analysis report.bin'), 'mine');
    const result = await downloadUrl({ url: await presign(key), targetFolder: folder });
    assert.equal(result.path, join(folder, 'analysis report (1).bin'));
    assert.equal(await readFile(join(folder, 'analysis report.bin'), 'utf8'), 'mine');
  });
});

for (const transport of ['socket', 'node'] as const) {
describe(`downloader against a fault-injecting server (${transport} transport)`, () => {
  let server: FaultServer | undefined;
  let folder: string;
  const body = randomBytes(2 * 1024 * 1024 + 7);
  const fast = { retryDelaysMs: [5, 5, 5] };

  async function serve(options: Partial<FaultServerOptions>): Promise<FaultServer> {
    server = await startFaultServer({ body, etag: '"etag-1"', ...options });
    return server;
  }

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3-hooks-dl-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  it('a connection dropped mid-body is resumed with Range + If-Match and yields the exact bytes', async () => {
    const s = await serve({ faults: [{ kind: 'drop', afterBytes: 700_000 }] });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.equal(result.attempts, 2);
    assert.ok(result.resumedFrom && result.resumedFrom >= 600_000, `resumed from ${result.resumedFrom}`);
    assert.equal(s.requests[1].headers.range, `bytes=${result.resumedFrom}-`);
    assert.equal(s.requests[1].headers['if-match'], '"etag-1"');
    assert.deepEqual(await readdir(folder), ['data.bin']);
  });

  it('a connection that goes silent mid-body is dropped after the idle timeout and resumed, exact', async () => {
    const s = await serve({ faults: [{ kind: 'stall', afterBytes: 500_000 }] });
    const started = Date.now();
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, idleTimeoutMs: 300, ...fast });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.equal(result.attempts, 2);
    assert.ok(result.resumedFrom && result.resumedFrom > 0, `resumed from ${result.resumedFrom}`);
    assert.equal(s.requests[1].headers.range, `bytes=${result.resumedFrom}-`);
    assert.ok(Date.now() - started < 5000, 'the stall was noticed after about the idle timeout');
  });

  it('a server without ranges makes the resume restart from byte 0, still exact', async () => {
    const s = await serve({ ranges: false, faults: [{ kind: 'drop', afterBytes: 500_000 }] });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.equal(result.resumedFrom, undefined);
  });

  it('an object that changed (412 on If-Match) restarts from byte 0, exact', async () => {
    const s = await serve({ faults: [{ kind: 'drop', afterBytes: 300_000 }, { kind: 'status', status: 412 }] });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.equal(s.requests.length, 3);
    assert.equal(s.requests[2].headers.range, 'bytes=0-', 'from byte 0 (asking for ranges, as every first request does)');
    assert.equal(s.requests[2].headers['if-match'], undefined);
  });

  it('a chunked body (no Content-Length) is saved exactly', async () => {
    const s = await serve({ chunked: true, then: { kind: 'slow', chunkBytes: 300_000, intervalMs: 1 } });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(result.attempts, 1);
    assert.equal(result.bytes, body.length);
    assert.equal(sha256(await readFile(result.path)), sha256(body));
  });

  it('a redirect is followed (not counted as an attempt); more than 5 are refused and leave no file', async () => {
    const s = await serve({ faults: [{ kind: 'status', status: 302, headers: { location: '/moved/data.bin' } }] });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(result.attempts, 1);
    assert.equal(s.requests[1].url, '/moved/data.bin');
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    await server?.close();
    await rm(result.path);
    const loop = await serve({ then: { kind: 'status', status: 301, headers: { location: '/again' } } });
    const err = await rejection(downloadUrl({ url: loop.url('/data.bin'), targetFolder: folder, transport, ...fast }));
    assert.equal(err.kind, 'refused');
    assert.match(err.message, /Too many redirects/);
    assert.equal(loop.requests.length, 6);
    assert.deepEqual(await readdir(folder), []);
  });

  it('a 500 then success works', async () => {
    const s = await serve({ faults: [{ kind: 'status', status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' }] });
    const result = await downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast });
    assert.equal(result.attempts, 2);
    assert.equal(sha256(await readFile(result.path)), sha256(body));
  });

  it('5xx on every try ends as a network error after the retries, with no file', async () => {
    const s = await serve({ then: { kind: 'status', status: 503 } });
    const err = await rejection(downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast }));
    assert.equal(err.kind, 'network');
    assert.equal(s.requests.length, 4);
    assert.match(err.message, /after 4 attempts/);
    assert.deepEqual(await readdir(folder), []);
  });

  it('a short body (fewer bytes than Content-Length) is an error with no final file; the part is kept for resume', async () => {
    const s = await serve({ ranges: false, then: { kind: 'short', sendBytes: 1000 } });
    const err = await rejection(downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, ...fast }));
    assert.equal(err.kind, 'network');
    assert.match(err.message, /ended after 1000 of 2097159 bytes/);
    assert.equal(existsSync(join(folder, 'data.bin')), false);
    assert.deepEqual(await readdir(folder), ['data.bin.part']);
    assert.equal(err.details.partPath, join(folder, 'data.bin.part'));
  });

  it('a kept part is resumed by a later call (resume option) and completes exactly', async () => {
    const s = await serve({ faults: [{ kind: 'drop', afterBytes: 400_000 }, { kind: 'status', status: 503 }] });
    const first = await rejection(downloadUrl({ url: s.url('/data.bin'), targetFolder: folder, transport, retryDelaysMs: [5] }));
    assert.equal(first.kind, 'network');
    assert.ok(first.details.partPath && first.details.etag === '"etag-1"');
    const result = await downloadUrl({
      url: s.url('/data.bin'),
      targetFolder: folder, transport,
      resume: { partPath: first.details.partPath, etag: first.details.etag },
    });
    assert.equal(result.resumedFrom, first.details.bytes);
    assert.equal(sha256(await readFile(result.path)), sha256(body));
    assert.deepEqual(await readdir(folder), ['data.bin']);
  });

  it('cancel (AbortSignal) leaves no final file and no part', async () => {
    const s = await serve({ then: { kind: 'slow', chunkBytes: 64 * 1024, intervalMs: 20 } });
    const controller = new AbortController();
    const err = await rejection(
      downloadUrl({
        url: s.url('/data.bin'),
        targetFolder: folder, transport,
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.bytes > 100_000) {
            controller.abort();
          }
        },
      }),
    );
    assert.equal(err.kind, 'cancelled');
    assert.deepEqual(await readdir(folder), []);
  });

  it('an S3 XML 403 AccessDenied from any server is a plain "refused" message', async () => {
    const s = await serve({ then: { kind: 'status', status: 403, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>' } });
    const err = await rejection(downloadUrl({ url: s.url('/x.bin'), targetFolder: folder, transport, ...fast }));
    assert.equal(err.kind, 'refused');
    assert.match(err.message, /refused access/);
    assert.match(err.message, /request id R1/);
    assert.equal(s.requests.length, 1, 'a refusal is not retried');
  });

  it('Content-Disposition names the file', async () => {
    const s = await serve({ contentDisposition: "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf" });
    const result = await downloadUrl({ url: s.url('/obj'), targetFolder: folder, transport });
    assert.equal(result.fileName, 'résumé 2024.pdf');
  });

  const hostile: [string, RegExp][] = [
    ['../../x', /^x$/],
    ['/etc/passwd', /^passwd$/],
    ['..', /^obj$/],
    ['con', /^_con$/],
    ['CON.txt', /^_CON\.txt$/],
    ['a'.repeat(300) + '.csv', /^a{196}\.csv$/],
    ['C:\\Windows\\system32\\drivers', /^drivers$/],
  ];
  for (const [name, expected] of hostile) {
    it(`a hostile name ${JSON.stringify(name.length > 40 ? name.slice(0, 12) + '…' : name)} stays inside the target folder`, async () => {
      const s = await serve({ contentDisposition: `attachment; filename="${name.replace(/[\\"]/g, (c) => '\\' + c)}"` });
      const result = await downloadUrl({ url: s.url('/obj'), targetFolder: folder, transport });
      assert.equal(dirname(result.path), folder);
      assert.match(result.fileName, expected);
      assert.deepEqual(await readdir(folder), [result.fileName]);
    });
  }

  it('control characters in a Content-Disposition filename* are removed', async () => {
    const s = await serve({ contentDisposition: "attachment; filename*=UTF-8''evil%01%1F%7F%C2%85name%0A.txt" });
    const result = await downloadUrl({ url: s.url('/obj'), targetFolder: folder, transport });
    assert.equal(result.fileName, 'evilname.txt');
  });

  it('a hostile key in the URL path stays inside the target folder too', async () => {
    const s = await serve({});
    const result = await downloadUrl({ url: s.url('/bkt/..%2F..%2Fetc%2Fcron.d%2Fx'), targetFolder: folder, transport });
    assert.equal(dirname(result.path), folder);
    assert.equal(result.fileName, 'x');
  });

  it('refuses non-http URLs as bad input', async () => {
    const err = await rejection(downloadUrl({ url: 'file:///etc/passwd', targetFolder: folder, transport }));
    assert.equal(err.kind, 'badInput');
  });
});
}
