import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../src/core/s3/connection';
import { cliPath, runCli, startCli } from '../../support/cliRun';
import { localS3Keys, startLocalS3, type LocalS3 } from '../../support/localS3';

const keysEnv = { AWS_ACCESS_KEY_ID: localS3Keys.accessKeyId, AWS_SECRET_ACCESS_KEY: localS3Keys.secretAccessKey };

interface Callbacks {
  publish: { callbacks: { url: string; type: string; format?: string }[] };
}

/** SigV4 signing key and POST-policy signature, written from the specification with node:crypto (not the SDK). */
function policySignature(secret: string, shortDate: string, region: string, policyBase64: string): string {
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(policyBase64, 'utf8').digest('hex');
}

describe('s3-hooks deliveries / presign get / presign post (built dist/cli.js, embedded S3)', () => {
  let s3: LocalS3;
  let dir: string;
  before(async () => {
    assert.ok(existsSync(cliPath), 'dist/cli.js is missing: run `npm run build` first');
    s3 = await startLocalS3(['bkt']);
    dir = await mkdtemp(join(tmpdir(), 's3-hooks-deliveries-'));
  });
  after(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const local = () => ['--endpoint', s3.endpoint, '--path-style'];

  async function callbackDocument(name: string, extra: string[]): Promise<{ path: string; json: Callbacks }> {
    const made = await runCli(['callback', 'voicebase', '--bucket', 'bkt', '--key-template', `${name}/{name}.{ext}`, ...extra, ...local()], keysEnv);
    assert.equal(made.code, 0, made.stderr);
    const path = join(dir, `${name}.json`);
    await writeFile(path, made.stdout);
    return { path, json: JSON.parse(made.stdout) as Callbacks };
  }

  async function upload(url: string, contentType: string, body: string): Promise<void> {
    const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body });
    assert.equal(res.status, 200, await res.text());
  }

  it('pending, then delivered (size, stored Content-Type, matching or not), and the exit code says whether all arrived', async () => {
    const { path, json } = await callbackDocument('job1', ['--analytics', '--transcript', 'srt,webvtt', '--expires', '1h']);
    const before = await runCli(['deliveries', path, ...local()], keysEnv);
    assert.equal(before.code, 9, before.stderr);
    assert.deepEqual(
      before.stdout.trim().split('\n').map((l) => l.split(' · ').slice(0, 2).join(' · ')),
      ['pending · analytics', 'pending · transcript (srt)', 'pending · transcript (webvtt)'],
    );
    assert.match(before.stdout, /^pending · analytics · expires in 59 min · s3:\/\/bkt\/job1\/analytics\.json$/m);

    await upload(json.publish.callbacks[0].url, 'application/json', '{"ok":true}');
    // The wrong Content-Type can only be stored around the URL (the URL itself refuses it): as a misconfigured vendor's own upload would.
    const client = createS3Client(s3.connection);
    try {
      await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'job1/transcript.srt', Body: '1\n', ContentType: 'text/plain' }));
    } finally {
      client.destroy();
    }
    const after = await runCli(['deliveries', path, '--json', ...local()], keysEnv);
    assert.equal(after.code, 9, after.stderr);
    const results = JSON.parse(after.stdout) as { label: string; state: string; size?: number; storedContentType?: string; contentTypeMatches?: boolean }[];
    assert.deepEqual(
      results.map((r) => [r.label, r.state, r.size, r.storedContentType, r.contentTypeMatches]),
      [
        ['analytics', 'delivered', 11, 'application/json', true],
        ['transcript (srt)', 'delivered', 2, 'text/plain', false],
        ['transcript (webvtt)', 'pending', undefined, undefined, undefined],
      ],
    );
    assert.doesNotMatch(after.stdout, /X-Amz-Signature/, 'no URL in the results');
    const list = await runCli(['fetch', path, '--list'], keysEnv);
    assert.equal(list.code, 3);
    assert.match(list.stderr, /: 3 presigned PUT URLs: upload targets, nothing to fetch \(s3-hooks deliveries .* shows what was delivered\)/);
    const lines = await runCli(['deliveries', path, ...local()], keysEnv);
    assert.match(lines.stdout, /^delivered · transcript \(srt\) · 2 B text\/plain at \S+Z · Content-Type text\/plain stored, text\/srt signed · s3:\/\/bkt\/job1\/transcript\.srt$/m);
  });

  it('a URL that died without a delivery is "expired, not delivered"', async () => {
    const { path } = await callbackDocument('old', ['--transcript', 'srt', '--expires', '1h', '--signing-date', '2021-03-04T05:06:07Z', '--id', 'x']);
    const r = await runCli(['deliveries', path, ...local()], keysEnv);
    assert.equal(r.code, 9);
    assert.match(r.stdout, /^expired, not delivered · transcript \(srt\) · expired 5 years ago · s3:\/\/bkt\/old\/transcript\.srt$/m);
  });

  it('--watch polls until every URL is delivered, printing each delivery as it arrives, and exits 0', async () => {
    const { path, json } = await callbackDocument('watched', ['--transcript', 'srt,webvtt', '--expires', '1h']);
    const watch = startCli(['deliveries', path, '--watch', '--interval', '0.2', ...local()], keysEnv);
    await watch.waitFor(/pending · transcript \(webvtt\)/);
    await upload(json.publish.callbacks[0].url, 'text/srt', '1\n00:00:00,000 --> 00:00:01,000\nhi\n');
    await watch.waitFor(/^delivered · transcript \(srt\)/m);
    await upload(json.publish.callbacks[1].url, 'text/vtt', 'WEBVTT\n');
    const done = await watch.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /^delivered · transcript \(webvtt\) · 7 B text\/vtt/m);
    assert.equal(done.stderr.trim(), '2 of 2 delivered');
  });

  it('a document without presigned PUT URLs, and a missing file, are bad input (exit 3)', async () => {
    const event = join(dir, 'event.json');
    await writeFile(event, '{"Records":[]}');
    const none = await runCli(['deliveries', event, ...local()], keysEnv);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /No presigned PUT URL found/);
    assert.equal((await runCli(['deliveries', join(dir, 'nope.json')], keysEnv)).code, 3);
  });

  it('presign get: the URL downloads the object, with the Content-Disposition asked for', async () => {
    const client = createS3Client(s3.connection);
    try {
      await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'shared/result one.srt', Body: 'subtitle', ContentType: 'text/srt' }));
    } finally {
      client.destroy();
    }
    const r = await runCli(['presign', 'get', '--bucket', 'bkt', '--key', 'shared/result one.srt', '--expires', '10m', '--content-disposition', 'attachment; filename="r.srt"', ...local()], keysEnv);
    assert.equal(r.code, 0, r.stderr);
    const res = await fetch(r.stdout.trim());
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'subtitle');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="r.srt"');
    assert.match(new URL(r.stdout.trim()).searchParams.get('X-Amz-Expires') ?? '', /^600$/);
  });

  it('presign post: the printed fields upload a file through a form; the policy caps the size and its signature checks out', async () => {
    const r = await runCli(['presign', 'post', '--bucket', 'bkt', '--key', 'forms/up.json', '--content-type', 'application/json', '--max-size', '1024', '--expires', '1h', '--json', ...local()], keysEnv);
    assert.equal(r.code, 0, r.stderr);
    const post = JSON.parse(r.stdout) as { url: string; fields: Record<string, string> };
    assert.deepEqual(Object.keys(post), ['url', 'fields']);
    assert.equal(post.url, `${s3.endpoint}/bkt`);

    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    assert.deepEqual(
      policy.conditions.find((c) => Array.isArray(c) && c[0] === 'content-length-range'),
      ['content-length-range', 0, 1024],
    );
    assert.ok(policy.conditions.some((c) => JSON.stringify(c) === JSON.stringify({ 'Content-Type': 'application/json' })));
    const [accessKey, shortDate, region, service, terminator] = post.fields['X-Amz-Credential'].split('/');
    assert.deepEqual([accessKey, region, service, terminator], [localS3Keys.accessKeyId, 'us-east-1', 's3', 'aws4_request']);
    assert.equal(post.fields['X-Amz-Date'].slice(0, 8), shortDate);
    assert.equal(post.fields['X-Amz-Signature'], policySignature(localS3Keys.secretAccessKey, shortDate, region, post.fields.Policy));
    assert.notEqual(post.fields['X-Amz-Signature'], policySignature('wrong', shortDate, region, post.fields.Policy), 'the check can fail');

    // The embedded server does not enforce policies, so the form upload shows the fields are complete, the check above that they are signed.
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) {
      form.append(name, value);
    }
    form.append('file', new Blob(['{"form":true}'], { type: 'application/json' }), 'up.json');
    const res = await fetch(post.url, { method: 'POST', body: form });
    assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${await res.text()}`);
    const client = createS3Client(s3.connection);
    try {
      const stored = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'forms/up.json' }));
      assert.equal(await stored.Body!.transformToString(), '{"form":true}');
      assert.equal(stored.ContentType, 'application/json');
    } finally {
      client.destroy();
    }

    const text = await runCli(['presign', 'post', '--bucket', 'bkt', '--key', 'forms/up.json', '--max-size', '1024', ...local()], keysEnv);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^POST ${s3.endpoint}/bkt$`, 'm'));
    // The printed curl command, run as a user would paste it, uploads the file.
    const curl = /^curl .*$/m.exec(text.stdout)?.[0];
    assert.ok(curl?.endsWith(` -F file=@up.json ${s3.endpoint}/bkt`), curl);
    await writeFile(join(dir, 'up.json'), '{"curl":true}');
    const ran = await promisify(execFile)('sh', ['-c', curl!], { cwd: dir });
    assert.match(ran.stdout, /^20\d$/m);
    const client2 = createS3Client(s3.connection);
    try {
      assert.equal(await (await client2.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'forms/up.json' }))).Body!.transformToString(), '{"curl":true}');
    } finally {
      client2.destroy();
    }
    assert.equal((await runCli(['presign', 'post', '--bucket', 'bkt', '--key', 'k', '--max-size', 'lots'], keysEnv)).code, 2);
  });
});
