import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { classifyJson } from '../../../../src/core/listener/classify';
import { curlCommand, fixtureFileName, listenerReplayTarget, replayAnswerText, replayEvent, replayHeader } from '../../../../src/core/listener/replay';
import { sampleKlaviAnalysis, sampleS3Records, sampleVkConfirmation } from '../../../../src/core/listener/sampleEvents';
import type { WebhookEvent } from '../../../../src/core/listener/webhookEvent';
import { signedUrlFor } from '../../../../src/core/confirmation/signedUrl';
import { httpRequest } from '../../../support/httpClient';
import { storedEvent } from '../../../support/storedEvent';
import { startTestListener, type TestListener } from '../../../support/testListener';

/** A handler under development: records what it receives and answers 202. */
async function startHandler(): Promise<{ url: string; received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[]; close(): Promise<void> }> {
  const received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(202, { 'Content-Type': 'text/plain', 'X-Handler': 'yes' }).end('handled');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('replay, curl and fixtures of stored events', function () {
  this.timeout(30_000);
  let t: TestListener;
  let handler: Awaited<ReturnType<typeof startHandler>>;
  before(async () => {
    t = await startTestListener({ inlineLimit: 64 * 1024 });
    handler = await startHandler();
  });
  after(async () => {
    await t.close();
    await handler.close();
  });

  async function stored(path: string, init: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer }): Promise<WebhookEvent> {
    await httpRequest(t.url.replace(/\/$/, '') + path, init);
    const event = t.history.all().find((e) => e.path === path.split('?')[0]);
    assert.ok(event);
    return event;
  }

  it('replays method, headers and body to a handler, without hop-by-hop and redacted headers, naming the original', async () => {
    const body = JSON.stringify(sampleS3Records('bkt', 'a b.txt'));
    const event = await stored('/r1?x=1', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret', 'X-Custom': 'kept' },
      body,
    });
    const result = await replayEvent(event, `${handler.url}/hook`);
    assert.equal(result.status, 202);
    assert.equal(result.body, 'handled');
    assert.equal(result.headers['x-handler'], 'yes');
    assert.deepEqual(result.omittedHeaders, ['authorization']);
    const got = handler.received.at(-1)!;
    assert.equal(got.method, 'PUT');
    assert.equal(got.url, '/hook');
    assert.equal(got.headers['x-custom'], 'kept');
    assert.equal(got.headers.authorization, undefined, 'a redacted value is not sent as "REDACTED"');
    assert.equal(got.headers[replayHeader], event.id);
    assert.equal(got.body.toString(), body);
  });

  it('replays a binary inline body and a received file byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const binary = await stored('/r2', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: bytes });
    assert.ok(binary.body.base64);
    await replayEvent(binary, handler.url);
    assert.ok(handler.received.at(-1)!.body.equals(bytes));

    const file = randomBytes(200_000);
    const received = await stored('/upload/result.bin', { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: file });
    assert.ok(received.body.file);
    await replayEvent(received, handler.url);
    assert.ok(handler.received.at(-1)!.body.equals(file));
  });

  it('refuses to replay an event whose body was not kept, and says so when nothing listens', async () => {
    const event: WebhookEvent = { ...t.history.all()[0], body: { size: 10, dropped: true } };
    await assert.rejects(replayEvent(event, handler.url), /over the size limit/);
    await assert.rejects(replayEvent(t.history.all()[0], 'http://127.0.0.1:1/'), /Nothing is listening/);
    await assert.rejects(replayEvent(t.history.all()[0], 'ftp://x/'), /not an http/);
  });

  it('Copy as curl gives a command that really sends the same request (run with bash)', async () => {
    const body = `{"note":"it's \\"quoted\\" and has $HOME and \`backticks\`"}`;
    const event = await stored('/c1?a=1&b=two%20words', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Trace': "o'brien" }, body });
    const command = curlCommand(event, `${handler.url}/curl?a=1&b=two%20words`);
    const before = handler.received.length;
    await promisify(execFile)('bash', ['-c', command]);
    const got = handler.received[before];
    assert.equal(got.url, '/curl?a=1&b=two%20words');
    assert.equal(got.headers['x-trace'], "o'brien");
    assert.equal(got.body.toString(), body);

    const bytes = Buffer.from([0, 255, 10, 13, 39]);
    const binary = await stored('/c2', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: bytes });
    await promisify(execFile)('bash', ['-c', curlCommand(binary, handler.url)]);
    assert.ok(handler.received.at(-1)!.body.equals(bytes));
  });

  it('names fixtures after kind, label and time, with an extension that fits the body', async () => {
    const event = await stored('/f1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sampleVkConfirmation()) });
    assert.match(fixtureFileName(event), /^vkConfirmation-subscriptionconfirmation-\d{8}T\d{6}Z\.json$/);
    const malformed = await stored('/f2', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    assert.match(fixtureFileName(malformed), /^malformed-malformed-json-.*\.txt$/);
    const file = t.history.all().find((e) => e.path === '/upload/result.bin')!;
    assert.match(fixtureFileName(file), /^file-put-result-bin-.*\.bin$/);
    assert.ok((await readFile(file.body.file!)).length > 0);
  });
});

describe('classification and the signed URL', () => {
  it('classifies the sample events the way the listener answers them', () => {
    assert.equal(classifyJson(sampleVkConfirmation()).kind, 'vkConfirmation');
    const s3 = classifyJson(sampleS3Records('bkt', 'dir/file name.json'));
    assert.equal(s3.kind, 's3Records');
    assert.equal(s3.fileReferences, 1);
    const klavi = classifyJson(sampleKlaviAnalysis('https://bkt.s3.amazonaws.com/k.json?X-Amz-Signature=abc&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60'));
    assert.equal(klavi.kind, 'klavi');
    assert.equal(klavi.label, 'analysis finished');
    assert.equal(klavi.fileReferences, 1);
  });

  it("recognises the seed's lower-case Klavi spelling, a Klavi event without a file, and leaves other JSON unknown", () => {
    const lower = classifyJson({ partnerappid: '1', eventid: 'e-1', eventtype: 'analysis', eventname: 'analysis started', payload: { batchid: '2' } });
    assert.equal(lower.kind, 'klavi');
    assert.deepEqual(lower.dedupeKeys, ['event:e-1']);
    assert.equal(classifyJson({ hello: 'world' }).kind, 'unknown');
    assert.equal(classifyJson([1, 2]).label, 'JSON array');
    const incomplete = classifyJson({ Type: 'SubscriptionConfirmation', Token: 'x' });
    assert.equal(incomplete.kind, 'unknown');
    assert.match(incomplete.warnings?.[0] ?? '', /no TopicArn, Timestamp/);
  });

  it('finds references in bodies that hide the words behind \\u escapes', () => {
    const text = '{"payload":{"presignedUrl":"\\u0068ttps://bkt.s3.amazonaws.com/k?X-Amz-Signature=a&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60"},"eventId":"x","eventType":"analysis"}';
    assert.equal(classifyJson(JSON.parse(text), undefined, text).fileReferences, 1);
  });

  it('signs over the public URL exactly, a bare origin plus the request path, or the received URL', () => {
    const req = (url: string, headers: http.IncomingHttpHeaders = { host: '127.0.0.1:8765' }) => ({ url, headers });
    assert.deepEqual(signedUrlFor('https://t.example/hooks/vk', req('/other')), { url: 'https://t.example/hooks/vk', fromSetting: true });
    assert.deepEqual(signedUrlFor('https://t.example', req('/hooks/vk?x=1')), { url: 'https://t.example/hooks/vk?x=1', fromSetting: true });
    assert.deepEqual(signedUrlFor('https://t.example/', req('/')), { url: 'https://t.example/', fromSetting: true });
    assert.deepEqual(signedUrlFor('https://t.example', req('/')), { url: 'https://t.example', fromSetting: true });
    assert.deepEqual(signedUrlFor(undefined, req('/vk')), { url: 'http://127.0.0.1:8765/vk', fromSetting: false });
    assert.deepEqual(signedUrlFor('', req('/vk', { host: '127.0.0.1:8765', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'abc.trycloudflare.com' })), {
      url: 'https://abc.trycloudflare.com/vk',
      fromSetting: false,
    });
  });
});

describe('Replay target and answer (core/listener/replay)', () => {
  it("goes back to the listener on the event's own path and query", () => {
    assert.equal(listenerReplayTarget(storedEvent({ path: '/a/b', query: 'x=1', body: { size: 0 } }), 'http://127.0.0.1:8765/'), 'http://127.0.0.1:8765/a/b?x=1');
    assert.equal(listenerReplayTarget(storedEvent({ path: '/a', query: '', body: { size: 0 } }), 'http://127.0.0.1:8765'), 'http://127.0.0.1:8765/a');
  });

  it('renders the answer: request line, status and time, headers, body, a cut mark and what was not sent', () => {
    const text = replayAnswerText(storedEvent({ body: { size: 0 } }), 'http://127.0.0.1:3000/hook', {
      status: 202,
      headers: { 'content-type': 'text/plain' },
      body: 'handled',
      truncated: true,
      durationMs: 12.4,
      omittedHeaders: ['authorization'],
    });
    assert.equal(
      text,
      'POST http://127.0.0.1:3000/hook\n→ HTTP 202 in 12 ms\n\ncontent-type: text/plain\n\nhandled\n… (cut at 64 KiB)\n\nNot sent (redacted when stored): authorization\n',
    );
  });
});
