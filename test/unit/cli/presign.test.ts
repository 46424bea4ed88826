import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentTypeFor } from '../../../src/core/presign/contentTypes';
import { cliPath as cli, runCli } from '../../support/cliRun';
import { localS3Keys, startLocalS3, type LocalS3 } from '../../support/localS3';

const root = join(__dirname, '..', '..', '..');

const keysEnv = { AWS_ACCESS_KEY_ID: localS3Keys.accessKeyId, AWS_SECRET_ACCESS_KEY: localS3Keys.secretAccessKey };

/** Runs the independent Python SigV4 presigner (test/support/sigv4_presign.py). */
function pythonPresign(request: object): Promise<{ url: string; signature: string; canonicalRequest: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(root, 'test', 'support', 'sigv4_presign.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { url: string; signature: string; canonicalRequest: string }) : reject(new Error(errText))));
    child.stdin.end(JSON.stringify(request));
  });
}

/** Origin + path, and the query as a sorted list: SigV4 does not care about parameter order. */
function normalise(url: string): { base: string; query: string[] } {
  const u = new URL(url);
  return { base: `${u.origin}${u.pathname}`, query: [...u.searchParams].map(([k, v]) => `${k}=${v}`).sort() };
}

describe('s3-hooks presign put / callback voicebase (built dist/cli.js)', () => {
  let s3: LocalS3;
  let home: string;
  before(async function () {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    s3 = await startLocalS3(['bkt']);
    home = await mkdtemp(join(tmpdir(), 's3-hooks-cli-home-'));
  });
  after(async () => {
    await s3?.close();
    await rm(home, { recursive: true, force: true });
  });

  const local = () => ['--endpoint', s3.endpoint, '--path-style'];

  it('--help for each subcommand exits 0 and shows usage, the Content-Type table and the credential chain', async () => {
    const top = await runCli(['--help']);
    assert.match(top.stdout, /presign put\s+print a presigned S3 PUT URL/);
    assert.match(top.stdout, /callback voicebase\s+print VoiceBase v3 publish\.callbacks JSON/);
    const put = await runCli(['presign', 'put', '--help']);
    assert.equal(put.code, 0);
    assert.match(put.stdout, /^Usage: s3-hooks presign put --bucket B --key K/);
    assert.match(put.stdout, /--signing-date ISO8601/);
    assert.match(put.stdout, /AWS_ACCESS_KEY_ID/);
    const vb = await runCli(['callback', 'voicebase', '-h']);
    assert.equal(vb.code, 0);
    assert.match(vb.stdout, /^Usage: s3-hooks callback voicebase --bucket B/);
    assert.match(vb.stdout, /transcript dfxp\s+application\/ttaf\+xml\s+\.dfxp/);
    assert.match(vb.stdout, /\{id\}\s+a unique id/);
  });

  it('presign put: the printed URL accepts a PUT with the signed Content-Type and S3 holds exactly the bytes; another type is refused', async () => {
    const r = await runCli(['presign', 'put', '--bucket', 'bkt', '--key', 'cli/put.json', '--content-type', 'application/json', '--expires', '600', ...local()], keysEnv, home);
    assert.equal(r.code, 0, r.stderr);
    const url = r.stdout.trim();
    assert.equal(r.stdout, `${url}\n`, 'prints exactly the URL and a newline');
    assert.doesNotMatch(url, /x-amz-checksum|x-amz-sdk-checksum-algorithm/i);
    const bytes = Buffer.from('{"from":"the CLI","bytes":[0,1,2]}');
    const ok = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: bytes });
    assert.equal(ok.status, 200, await ok.text());
    const object = await s3.readObject('cli/put.json');
    assert.ok(object.bytes.equals(bytes));
    assert.equal(object.contentType, 'application/json');
    const bad = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: bytes });
    assert.equal(bad.status, 403);
    const tampered = await fetch(url.replace(/X-Amz-Signature=(.)/, (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: bytes,
    });
    assert.equal(tampered.status, 403);
  });

  it('presign put --json prints the generic form; --curl prints a working curl command on stderr', async () => {
    const r = await runCli(['presign', 'put', '--bucket', 'bkt', '--key', 'cli/curl.srt', '--content-type', 'text/srt', '--json', '--curl', ...local()], keysEnv, home);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { url: string; method: string; headers: Record<string, string>; expiresAt: string };
    assert.deepEqual(Object.keys(json), ['url', 'method', 'headers', 'expiresAt']);
    assert.equal(json.method, 'PUT');
    assert.deepEqual(json.headers, { 'Content-Type': 'text/srt' });
    assert.match(json.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const curl = r.stderr.split('\n').find((l) => l.startsWith('curl '));
    assert.ok(curl, r.stderr);
    const dir = await mkdtemp(join(tmpdir(), 's3-hooks-cli-curl-'));
    try {
      await writeFile(join(dir, 'curl.srt'), '1\n00:00:00,000 --> 00:00:01,000\nhello\n');
      await new Promise<void>((resolve, reject) => execFile('sh', ['-c', curl], { cwd: dir }, (err, _o, e) => (err ? reject(new Error(e)) : resolve())));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.match((await s3.readObject('cli/curl.srt')).bytes.toString(), /hello/);
  });

  it('callback voicebase: every printed URL accepts its type\'s Content-Type', async () => {
    const r = await runCli(
      ['callback', 'voicebase', '--bucket', 'bkt', '--key-template', 'vb/{id}/{name}.{ext}', '--analytics', '--include', 'metadata,transcript', '--transcript', 'srt,webvtt', '--transcript', 'text', '--media', 'original', ...local()],
      keysEnv,
      home,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'a 24-hour expiry with long-lived keys warns about nothing');
    const json = JSON.parse(r.stdout) as { publish: { callbacks: { url: string; method: string; type: string; format?: string; stream?: string; include?: string[] }[] } };
    const callbacks = json.publish.callbacks;
    assert.deepEqual(
      callbacks.map((c) => [c.type, c.format ?? c.stream ?? c.include?.join(',')]),
      [
        ['analytics', 'metadata,transcript'],
        ['transcript', 'srt'],
        ['transcript', 'webvtt'],
        ['transcript', 'text'],
        ['media', 'original'],
      ],
    );
    for (const c of callbacks) {
      const type = contentTypeFor(c.type, c.format ?? c.stream);
      const res = await fetch(c.url, { method: c.method, headers: { 'Content-Type': type }, body: `${c.type} ${c.format ?? ''}` });
      assert.equal(res.status, 200, await res.text());
    }
  });

  it('is byte-for-byte stable across runs with a fixed signing date (and id)', async () => {
    const putArgs = ['presign', 'put', '--bucket', 'bkt', '--key', 'stable/a b+ü.json', '--content-type', 'application/json', '--expires', '86400', '--signing-date', '2026-03-04T05:06:07Z', '--json'];
    const vbArgs = ['callback', 'voicebase', '--bucket', 'bkt', '--id', 'job-42', '--analytics', '--transcript', 'srt', '--signing-date', '2026-03-04T05:06:07Z', '--expires', '7d', '--region', 'eu-west-1'];
    for (const args of [putArgs, vbArgs]) {
      const runs = await Promise.all([runCli(args, keysEnv, home), runCli(args, keysEnv, home), runCli(args, keysEnv, home)]);
      for (const run of runs) {
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout, runs[0].stdout);
      }
    }
  });

  describe('matches an independent SigV4 implementation (Python hmac/hashlib) for the same request', () => {
    const awsKeys = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

    it('AWS S3, virtual-hosted, signed Content-Type', async () => {
      const r = await runCli(
        ['presign', 'put', '--bucket', 'examplebucket', '--key', 'results/2026 Q1/ünïcode+plus (1).json', '--content-type', 'application/json', '--expires', '86400', '--signing-date', '2026-03-04T05:06:07Z', '--region', 'eu-central-1'],
        awsKeys,
        home,
      );
      assert.equal(r.code, 0, r.stderr);
      const ours = r.stdout.trim();
      const query = new URL(ours).searchParams;
      const reference = await pythonPresign({
        method: 'PUT',
        scheme: 'https',
        host: 'examplebucket.s3.eu-central-1.amazonaws.com',
        bucket: 'examplebucket',
        key: 'results/2026 Q1/ünïcode+plus (1).json',
        pathStyle: false,
        region: 'eu-central-1',
        accessKeyId: awsKeys.AWS_ACCESS_KEY_ID,
        secretAccessKey: awsKeys.AWS_SECRET_ACCESS_KEY,
        amzDate: '20260304T050607Z',
        expires: 86400,
        headers: { 'Content-Type': 'application/json' },
        // The two parameters the JavaScript SDK adds to every presigned PutObject; signed like any other.
        extraQuery: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'x-id': 'PutObject' },
      });
      assert.equal(query.get('X-Amz-Signature'), reference.signature);
      assert.deepEqual(normalise(ours), normalise(reference.url));
    });

    it('an S3-compatible endpoint, path style, and the local S3 server accepts the reference URL too', async () => {
      const host = new URL(s3.endpoint).host;
      const signingDate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const amzDate = signingDate.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const r = await runCli(
        ['presign', 'put', '--bucket', 'bkt', '--key', 'ref/sub dir/x.vtt', '--content-type', 'text/vtt', '--expires', '900', '--signing-date', signingDate.toISOString(), ...local()],
        keysEnv,
        home,
      );
      assert.equal(r.code, 0, r.stderr);
      const reference = await pythonPresign({
        method: 'PUT',
        scheme: 'http',
        host,
        bucket: 'bkt',
        key: 'ref/sub dir/x.vtt',
        pathStyle: true,
        region: 'us-east-1',
        accessKeyId: localS3Keys.accessKeyId,
        secretAccessKey: localS3Keys.secretAccessKey,
        amzDate,
        expires: 900,
        headers: { 'Content-Type': 'text/vtt' },
        extraQuery: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'x-id': 'PutObject' },
      });
      assert.deepEqual(normalise(r.stdout.trim()), normalise(reference.url));
      const res = await fetch(reference.url, { method: 'PUT', headers: { 'Content-Type': 'text/vtt' }, body: 'WEBVTT\n' });
      assert.equal(res.status, 200, await res.text());
    });
  });

  it('warns on stderr when temporary credentials expire before the URL, naming both instants', async () => {
    const expiration = new Date(Date.now() + 3600_000);
    const r = await runCli(['presign', 'put', '--bucket', 'bkt', '--key', 'tmp.json', '--expires', '86400', ...local()], {
      ...keysEnv,
      AWS_SESSION_TOKEN: 'session-token',
      AWS_CREDENTIAL_EXPIRATION: expiration.toISOString(),
    }, home);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /X-Amz-Security-Token=session-token/);
    const expected = expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.match(r.stderr, new RegExp(`^warning: The URL is signed with temporary credentials that expire at ${expected}, before the URL's own expiry at \\S+Z`, 'm'));
    assert.match(r.stderr, /long-lived credentials/);
  });

  describe('bad input: a clear message and a non-zero exit', () => {
    const cases: [string, string[], Record<string, string> | undefined, number, RegExp][] = [
      ['unknown transcript format', ['callback', 'voicebase', '--bucket', 'bkt', '--transcript', 'mp4'], keysEnv, 3, /Unknown transcript format "mp4": use json, text, webvtt, srt or dfxp/],
      ['unknown media stream', ['callback', 'voicebase', '--bucket', 'bkt', '--media', 'video'], keysEnv, 3, /Unknown media stream "video"/],
      ['expiry above 7 days', ['presign', 'put', '--bucket', 'bkt', '--key', 'k', '--expires', '604801'], keysEnv, 3, /at most 604800 seconds \(7 days\)/],
      ['expiry 0', ['callback', 'voicebase', '--bucket', 'bkt', '--analytics', '--expires', '0'], keysEnv, 3, /at least 1 second/],
      ['expiry not a number', ['presign', 'put', '--bucket', 'bkt', '--key', 'k', '--expires', 'soon'], keysEnv, 3, /"soon" is not an expiry/],
      ['bad bucket name', ['presign', 'put', '--bucket', 'My_Bucket', '--key', 'k'], keysEnv, 3, /Bucket names are lowercase, with hyphens "-" instead of underscores "_": "my-bucket"\?/],
      ['bucket given as s3:// URL', ['callback', 'voicebase', '--bucket', 's3://bkt/x', '--analytics'], keysEnv, 3, /bucket name only/],
      ['no credentials', ['presign', 'put', '--bucket', 'bkt', '--key', 'k'], {}, 8, /No usable AWS credentials from the standard AWS credential chain/],
      ['unknown profile', ['presign', 'put', '--bucket', 'bkt', '--key', 'k', '--profile', 'ghost'], {}, 8, /the AWS profile "ghost"/],
      ['missing --bucket', ['presign', 'put', '--key', 'k'], keysEnv, 2, /--bucket is required/],
      ['missing --key', ['presign', 'put', '--bucket', 'bkt'], keysEnv, 2, /--key is required/],
      ['no callback chosen', ['callback', 'voicebase', '--bucket', 'bkt'], keysEnv, 2, /Choose at least one callback/],
      ['--include without --analytics', ['callback', 'voicebase', '--bucket', 'bkt', '--include', 'metadata', '--media', 'original'], keysEnv, 2, /add --analytics/],
      ['unknown option', ['presign', 'put', '--bucket', 'bkt', '--key', 'k', '--expiry', '60'], keysEnv, 2, /Unknown option '--expiry'/],
      ['bad signing date', ['presign', 'put', '--bucket', 'bkt', '--key', 'k', '--signing-date', 'yesterday'], keysEnv, 2, /not an ISO 8601 instant/],
      ['colliding key template', ['callback', 'voicebase', '--bucket', 'bkt', '--key-template', 'x/data.{ext}', '--transcript', 'json', '--analytics'], keysEnv, 3, /analytics and transcript \(json\) callbacks would both upload to "x\/data\.json"/],
    ];
    for (const [name, args, env, code, message] of cases) {
      it(`${name} → exit ${code}`, async () => {
        const r = await runCli([...args, '--endpoint', s3.endpoint, '--path-style'], env, home);
        assert.equal(r.code, code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        assert.equal(r.stdout, '', 'nothing on stdout');
        assert.match(r.stderr, message);
        assert.match(r.stderr, /^s3-hooks (presign put|callback voicebase): /m);
      });
    }
  });
});
