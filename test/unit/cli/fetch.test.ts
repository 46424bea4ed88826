import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../../../src/core/s3/connection';
import { cliPath as cli, runCli as runBuiltCli, type CliRun } from '../../support/cliRun';
import { startFaultServer, type FaultServer } from '../../support/faultServer';
import { localS3Keys, startLocalS3, type LocalS3 } from '../../support/localS3';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const runCli = (args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> => runBuiltCli(args, env, undefined, stdin);

describe('s3-hooks fetch (built dist/cli.js)', () => {
  let s3: LocalS3;
  let folder: string;
  let fault: FaultServer | undefined;
  const body = randomBytes(300_000);
  const other = randomBytes(1000);

  async function presign(key: string, opts: { expiresIn?: number; signingDate?: Date } = {}): Promise<string> {
    const client = createS3Client(s3.connection);
    try {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: key }), { expiresIn: opts.expiresIn ?? 600, signingDate: opts.signingDate });
    } finally {
      client.destroy();
    }
  }

  before(async function () {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    s3 = await startLocalS3(['bkt']);
    const client = createS3Client(s3.connection);
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'out/result.json', Body: body }));
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'out/second file.txt', Body: other }));
    client.destroy();
  });
  after(async () => {
    await s3?.close();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3-hooks-cli-fetch-'));
  });
  afterEach(async () => {
    await fault?.close();
    fault = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  it('fetches a Klavi event file into --out and prints the saved path', async () => {
    const event = join(folder, 'event.json');
    await writeFile(event, JSON.stringify({ eventId: 'e1', eventTime: new Date().toISOString(), payload: { presignedUrl: await presign('out/result.json') } }));
    const r = await runCli(['fetch', event, '--out', join(folder, 'dl')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(folder, 'dl', 'result.json'));
    assert.equal(sha256(await readFile(join(folder, 'dl', 'result.json'))), sha256(body));
  });

  it('reads the event from standard input (-); --all fetches every reference; --json reports them without signatures', async () => {
    const event = JSON.stringify({ a: await presign('out/result.json'), b: { c: await presign('out/second file.txt') } });
    const r = await runCli(['fetch', '-', '--all', '--json', '--out', folder], {}, event);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { ok: boolean; path: string; url: string; bytes: number }[];
    assert.deepEqual(
      report.map((x) => [x.ok, x.path, x.bytes]),
      [
        [true, join(folder, 'result.json'), body.length],
        [true, join(folder, 'second file.txt'), other.length],
      ],
    );
    assert.ok(report.every((x) => x.url.includes('X-Amz-Signature=REDACTED')));
    assert.ok(!r.stdout.includes('X-Amz-Credential=S3RVER'));
  });

  it('without --all fetches the first and says how many there are; --list fetches nothing', async () => {
    const event = JSON.stringify([await presign('out/result.json'), await presign('out/second file.txt')]);
    const r = await runCli(['fetch', '-', '--out', folder], {}, event);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /points at 2 files; fetching the first/);
    assert.deepEqual(await readdir(folder), ['result.json']);
    const list = await runCli(['fetch', '-', '--list', '--out', join(folder, 'none')], {}, event);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /1\. result\.json \(presigned URL\) · expires in 9 min/);
    assert.ok(!list.stdout.includes('X-Amz-Signature=') || list.stdout.includes('X-Amz-Signature=REDACTED'));
    assert.equal(existsSync(join(folder, 'none')), false);
  });

  it('--list says when the expiry in a URL cannot be real, instead of failing on it', async () => {
    const url = 'https://b.s3.amazonaws.com/k.json?X-Amz-Signature=a&X-Amz-Date=20261399T000000Z&X-Amz-Expires=60';
    const list = await runCli(['fetch', '-', '--list'], {}, JSON.stringify({ eventId: 'e', eventTime: 1e300, payload: { presignedUrl: url } }));
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /1\. k\.json \(Klavi event\) · invalid expiry: X-Amz-Date=20261399T000000Z is not a real instant/);
  });

  it('takes a URL argument', async () => {
    const r = await runCli(['fetch', await presign('out/second file.txt'), '--out', folder]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await readdir(folder), ['second file.txt']);
  });

  it('an S3 notification is fetched with credentials from the environment and the S3 options', async () => {
    const event = JSON.stringify({ Records: [{ s3: { bucket: { name: 'bkt' }, object: { key: 'out/second+file.txt' } } }] });
    const env = { AWS_ACCESS_KEY_ID: localS3Keys.accessKeyId, AWS_SECRET_ACCESS_KEY: localS3Keys.secretAccessKey };
    const r = await runCli(['fetch', '-', '--out', folder, '--endpoint', s3.endpoint, '--path-style'], env, event);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha256(await readFile(join(folder, 'second file.txt'))), sha256(other));
  });

  it('exit 3 (bad input) for malformed JSON, with line and column', async () => {
    const r = await runCli(['fetch', '-'], {}, '{\n  "payload": {\n    "presignedUrl": "x"\n  \n');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /standard input: Malformed JSON at line 5, column 1/);
  });

  it('exit 3 for a missing file and for an event that points at nothing', async () => {
    assert.equal((await runCli(['fetch', join(folder, 'nope.json')])).code, 3);
    const r = await runCli(['fetch', '-'], {}, '{"hello": "world"}');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /points at no file/);
  });

  it('exit 4 (expired) before any request, and no file', async () => {
    fault = await startFaultServer({ body });
    const old = new Date(Date.now() - 3 * 3600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const url = fault.url(`/bkt/x.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${old}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc`);
    const r = await runCli(['fetch', url, '--out', folder]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /expired 2 h ago/);
    assert.equal(fault.requests.length, 0);
    assert.deepEqual(await readdir(folder), []);
  });

  it('exit 5 (refused) for a tampered link, with the plain message', async () => {
    const url = (await presign('out/result.json')).replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=ffff');
    const r = await runCli(['fetch', url, '--out', folder]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /signature does not match/i);
    assert.deepEqual(await readdir(folder), []);
  });

  it('exit 6 (network) when nothing listens', async () => {
    fault = await startFaultServer({ body });
    const url = fault.url('/x.bin');
    await fault.close();
    fault = undefined;
    const r = await runCli(['fetch', url, '--out', folder, '--retries', '1']);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /after 2 attempts/);
    assert.match(r.stderr, /ECONNREFUSED/);
  });

  it('exit 8 (credentials) for an S3 notification with no credentials anywhere', async () => {
    const event = JSON.stringify({ Records: [{ s3: { bucket: { name: 'bkt' }, object: { key: 'k' } } }] });
    const r = await runCli(['fetch', '-', '--out', folder, '--endpoint', s3.endpoint, '--path-style'], {}, event);
    assert.equal(r.code, 8);
    assert.match(r.stderr, /No AWS credentials/);
  });

  it('exit 2 (usage) without an argument; --help documents the exit codes', async () => {
    assert.equal((await runCli(['fetch'])).code, 2);
    const help = await runCli(['fetch', '--help']);
    assert.equal(help.code, 0);
    for (const line of [/3 +bad input/, /4 +expired/, /5 +refused/, /6 +network/, /--out DIR/, /--all/]) {
      assert.match(help.stdout, line);
    }
  });

  it('Ctrl+C (SIGINT) stops a download: exit 130 and no file left', async () => {
    fault = await startFaultServer({ body: randomBytes(4_000_000), then: { kind: 'slow', chunkBytes: 16_384, intervalMs: 20 } });
    const child = spawn(process.execPath, [cli, 'fetch', fault.url('/slow.bin'), '--out', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 130);
    assert.deepEqual(await readdir(folder), []);
  });
});
