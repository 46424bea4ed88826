import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../../src/core/s3/connection';
import { presignPut } from '../../../../src/core/presign/presignPut';
import { sampleBody, testPresignedPut } from '../../../../src/core/presign/testUpload';
import { uploadHeadersFromJson, uploadHeadersFromUrl, urlAtOffset } from '../../../../src/core/presign/uploadTarget';
import { startLocalS3, type LocalS3 } from '../../../support/localS3';

describe('test upload to a presigned PUT URL (core/presign/testUpload)', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(['bkt']);
  });
  after(async () => {
    await s3.close();
  });

  const sign = async (key: string, contentType?: string, extra: { expiresIn?: number; signingDate?: Date } = {}) =>
    (await presignPut(s3.connection, { bucket: 'bkt', key, contentType, expiresIn: extra.expiresIn ?? 600, signingDate: extra.signingDate })).upload;

  it('uploads a sample in the signed format and reports acceptance in plain words', async () => {
    const upload = await sign('t/accepted.vtt', 'text/vtt');
    const result = await testPresignedPut({ url: upload.url, headers: upload.headers });
    assert.equal(result.outcome, 'accepted');
    assert.equal(result.status, 200);
    assert.equal(result.bucket, 'bkt');
    assert.equal(result.key, 't/accepted.vtt');
    assert.match(result.message, /^S3 accepted the test upload \(200\): \d+ bytes of text\/vtt are stored at s3:\/\/bkt\/t\/accepted\.vtt\. It works until /);
    assert.doesNotMatch(result.message, /X-Amz-Signature/);
    const client = createS3Client(s3.connection);
    const stored = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 't/accepted.vtt' }));
    const text = await stored.Body!.transformToString();
    client.destroy();
    assert.match(text, /^WEBVTT\n/);
    assert.equal(stored.ContentType, 'text/vtt');
  });

  it('sends no Content-Type of its own when none is signed', async () => {
    const upload = await sign('t/untyped.bin');
    const result = await testPresignedPut({ url: upload.url, headers: {} });
    assert.equal(result.outcome, 'accepted', result.message);
    assert.deepEqual(result.sentHeaders, {});
  });

  it('explains a refused upload: another Content-Type → the signature does not match', async () => {
    const upload = await sign('t/typed.json', 'application/json');
    const result = await testPresignedPut({ url: upload.url, headers: { 'Content-Type': 'text/plain' } });
    assert.equal(result.outcome, 'refused');
    assert.equal(result.status, 403);
    assert.equal(result.report?.code, 'SignatureDoesNotMatch');
    assert.match(result.message, /S3 refused the test upload to s3:\/\/bkt\/t\/typed\.json: The signature does not match the request: the Content-Type/);
  });

  it('does not send to an expired URL, and says when it expired', async () => {
    const upload = await sign('t/old.json', 'application/json', { expiresIn: 60, signingDate: new Date(Date.now() - 7200_000) });
    const result = await testPresignedPut({ url: upload.url, headers: upload.headers });
    assert.equal(result.outcome, 'expired');
    assert.equal(result.status, undefined, 'nothing was sent');
    assert.match(result.message, /expired at .* \(expired 1 h ago\); S3 would refuse it, so nothing was sent/);
  });

  it('refuses to send without the signed Content-Type, or to a URL that is not presigned', async () => {
    const upload = await sign('t/needs-type.srt', 'text/srt');
    const missing = await testPresignedPut({ url: upload.url });
    assert.equal(missing.outcome, 'badInput');
    assert.match(missing.message, /signs a Content-Type/);
    const plain = await testPresignedPut({ url: 'https://example.com/file.json' });
    assert.equal(plain.outcome, 'badInput');
    assert.match(plain.message, /not a presigned S3 URL/);
  });

  it('reports a server that does not answer as a network failure, without the URL\'s secrets', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const upload = await sign('t/nowhere.json', 'application/json');
    const url = upload.url.replace(s3.endpoint, `http://127.0.0.1:${port}`);
    const result = await testPresignedPut({ url, headers: upload.headers });
    assert.equal(result.outcome, 'network');
    assert.match(result.message, new RegExp(`No answer from 127\\.0\\.0\\.1:${port} for s3://bkt/t/nowhere\\.json: ECONNREFUSED`));
  });

  it('sample bodies match their Content-Type', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const text = (type?: string) => new TextDecoder().decode(sampleBody(type, at));
    assert.deepEqual(JSON.parse(text('application/json')), { s3Hooks: 'test upload', at: '2026-01-01T00:00:00Z' });
    assert.match(text('text/srt'), /^1\n00:00:00,000 --> /);
    assert.match(text('application/ttaf+xml'), /^<\?xml/);
    assert.match(text(undefined), /^S3 Hooks test upload/);
  });
});

describe('which URL and headers to test (core/presign/uploadTarget)', () => {
  const url = 'https://bkt.s3.us-east-1.amazonaws.com/out/t.srt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=ab';
  const hostOnly = url.replace('content-type%3Bhost', 'host');

  it('finds the URL under the cursor in JSON, shell and prose', () => {
    const json = `{ "url": "${url}", "type": "transcript" }`;
    assert.equal(urlAtOffset(json, json.indexOf('X-Amz-Date')), url);
    assert.equal(urlAtOffset(json, json.indexOf('"type"')), undefined);
    const shell = `curl -X PUT '${url}' -T x`;
    assert.equal(urlAtOffset(shell, shell.indexOf('bkt')), url);
    assert.equal(urlAtOffset(`see ${url} here`, 4), url);
  });

  it('reads the Content-Type from a VoiceBase callback, or the generic form\'s headers, around the URL', () => {
    const vb = `{ "publish": { "callbacks": [ { "url": "other" }, // a comment
      { "url": "${url}", "method": "PUT", "type": "transcript", "format": "srt" }, ] } }`;
    assert.deepEqual(uploadHeadersFromJson(vb, url), {
      headers: { 'Content-Type': 'text/srt' },
      source: 'callback',
      explanation: "the callback's type transcript (srt)",
    });
    const analytics = `{ "publish": { "callbacks": [ { "url": "${url}", "method": "PUT" } ] } }`;
    assert.deepEqual(uploadHeadersFromJson(analytics, url)?.headers, { 'Content-Type': 'application/json' }, 'type defaults to analytics');
    const generic = JSON.stringify({ url, method: 'PUT', headers: { 'Content-Type': 'text/vtt' }, expiresAt: 'x' });
    assert.deepEqual(uploadHeadersFromJson(generic, url)?.headers, { 'Content-Type': 'text/vtt' });
    assert.equal(uploadHeadersFromJson('not json', url), undefined);
    assert.equal(uploadHeadersFromJson(`{"url": "${url}", "type": "video"}`, url), undefined);
  });

  it('falls back to the key\'s extension when the URL signs a Content-Type, and to none when it does not', () => {
    assert.deepEqual(uploadHeadersFromUrl(url), { headers: { 'Content-Type': 'text/srt' }, source: 'extension', explanation: 'the .srt extension' });
    assert.deepEqual(uploadHeadersFromUrl(hostOnly)?.headers, {});
    assert.equal(uploadHeadersFromUrl(url.replace('t.srt', 't.mp3')), undefined);
    assert.equal(uploadHeadersFromUrl('https://example.com/x'), undefined);
  });
});
