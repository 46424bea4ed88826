import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmationSignature } from '../../../../src/core/confirmation/signature';
import { EventHistory } from '../../../../src/core/listener/eventHistory';
import { ListenerStartError, WebhookListener } from '../../../../src/core/listener/webhookListener';
import { httpRequest, postJson, rawConnect, readUntilClose } from '../../../support/httpClient';
import { historyLines } from '../../../support/historyFile';
import { startTestListener, type TestListener } from '../../../support/testListener';
import { vkConfirmation, vkConfirmationFields } from '../../../support/vkConfirmation';


function s3Event(key: string, sequencer: string): unknown {
  return {
    Records: [
      {
        eventVersion: '1.0',
        eventSource: 'aws:s3',
        awsRegion: 'ru-msk',
        eventName: 's3:ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: '1',
          bucket: { name: 'bucketA', ownerIdentity: { principalId: 'mcs2883541269' } },
          object: { key, size: 100, eTag: 'aed563ecafb4bcc5654c597a421547b2', sequencer },
        },
        responseElements: { 'x-amz-request-id': 'VGJR5rtJ' },
      },
    ],
  };
}

const klaviEvent = {
  partnerAppId: '12345678',
  eventId: '1495468585434-0e73d1719173766fe4dfe1a8',
  eventType: 'analysis',
  eventName: 'analysis finished',
  eventTime: '2025-02-26T20:08:17.848Z',
  payload: {
    batchId: '25872252137',
    presignedUrl:
      'https://bkt.s3.us-east-1.amazonaws.com/results/25872252137.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20250226%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250226T200817Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef',
  },
};


async function stillServes(url: string): Promise<void> {
  const r = await postJson(url + 'ping', { ping: true });
  assert.equal(r.status, 200, 'the listener should still answer a normal request');
}

describe('webhook listener (core, real node:http on 127.0.0.1)', function () {
  this.timeout(60_000);
  let t: TestListener | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('binds 127.0.0.1 on a free port by default and accepts any method and path', async () => {
    t = await startTestListener();
    assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await httpRequest(t.url + 'any/deep/path?x=1', { method });
      assert.equal(r.status, 200, method);
    }
    assert.deepEqual(
      t.history.all().map((e) => [e.method, e.path, e.query]),
      ['GET', 'PUT', 'DELETE', 'PATCH'].map((m) => [m, '/any/deep/path', 'x=1']),
    );
  });

  it('answers a VK confirmation with the signature over the configured public URL', async () => {
    t = await startTestListener({ publicUrl: 'https://abc.trycloudflare.com/hooks/vk' });
    const r = await postJson(t.url + 'hooks/vk', vkConfirmation, { 'X-Amz-Sns-Message-Type': 'SubscriptionConfirmation' });
    assert.equal(r.status, 200);
    const expected = confirmationSignature({
      url: 'https://abc.trycloudflare.com/hooks/vk',
      ...vkConfirmationFields,
    });
    assert.deepEqual(JSON.parse(r.text), { signature: expected });
    const [event] = t.history.all();
    assert.equal(event.kind, 'vkConfirmation');
    assert.equal(event.signedUrl, 'https://abc.trycloudflare.com/hooks/vk');
    assert.equal(event.status, 200);
    assert.equal(event.warnings, undefined);
  });

  it('a bare-origin public URL is combined with the request path', async () => {
    t = await startTestListener({ publicUrl: 'https://abc.example.org' });
    const r = await postJson(t.url + 'vk?bucket=a', vkConfirmation);
    const expected = confirmationSignature({
      url: 'https://abc.example.org/vk?bucket=a',
      ...vkConfirmationFields,
    });
    assert.deepEqual(JSON.parse(r.text), { signature: expected });
  });

  it('without a public URL signs over the request URL and warns in the event and the log', async () => {
    t = await startTestListener();
    const r = await postJson(t.url + 'vk', vkConfirmation);
    const requestUrl = `${t.url}vk`;
    const expected = confirmationSignature({ url: requestUrl, ...vkConfirmationFields });
    assert.deepEqual(JSON.parse(r.text), { signature: expected });
    const [event] = t.history.all();
    assert.equal(event.signedUrl, requestUrl);
    assert.match(event.warnings?.[0] ?? '', /No public URL is configured/);
    assert.ok(t.logs.some((l) => l.startsWith('warn: No public URL')));
  });

  it('stores S3 Records with redacted credentials, answers the default status, and marks a redelivery as a duplicate', async () => {
    t = await startTestListener();
    const r1 = await postJson(t.url + 's3', s3Event('some-file-to-bucket', '1577453615'), { Authorization: 'Bearer very-secret', 'X-Api-Key': 'k' });
    const r2 = await postJson(t.url + 's3', s3Event('some-file-to-bucket', '1577453615'));
    const r3 = await postJson(t.url + 's3', s3Event('some-file-to-bucket', '1577453616'));
    assert.deepEqual([r1.status, r2.status, r3.status], [200, 200, 200]);
    const [e1, e2, e3] = t.history.all();
    assert.deepEqual(JSON.parse(r1.text), { received: e1.id });
    assert.equal(e1.kind, 's3Records');
    assert.equal(e1.label, 's3:ObjectCreated:Put');
    assert.equal(e1.headers.authorization, 'REDACTED');
    assert.equal(e1.headers['x-api-key'], 'REDACTED');
    assert.equal(e1.headers['content-type'], 'application/json');
    assert.equal(e1.fileReferences, 1);
    assert.equal(e1.duplicateOf, undefined);
    assert.equal(e2.duplicateOf, e1.id, 'same bucket/key/sequencer = redelivery');
    assert.equal(e3.duplicateOf, undefined, 'another sequencer is a new event');
    const onDisk = await historyLines(t.historyFile);
    assert.equal(onDisk.length, 3);
    assert.ok(!JSON.stringify(onDisk).includes('very-secret'), 'secrets never reach the history file');
  });

  it('recognises a Klavi event with its file reference, and duplicates by eventId', async () => {
    t = await startTestListener();
    await postJson(t.url + 'klavi', klaviEvent);
    await postJson(t.url + 'klavi', klaviEvent);
    const [e1, e2] = t.history.all();
    assert.equal(e1.kind, 'klavi');
    assert.equal(e1.label, 'analysis finished');
    assert.equal(e1.fileReferences, 1);
    assert.equal(e2.duplicateOf, e1.id);
  });

  it('stores malformed JSON flagged, and answers 400 with a short JSON reason naming line and column', async () => {
    t = await startTestListener();
    const r = await postJson(t.url + 'bad', '{\n  "a": 1,\n  "b": \n}');
    assert.equal(r.status, 400);
    const reason = (JSON.parse(r.text) as { error: string }).error;
    assert.match(reason, /line 4, column 1/);
    const [event] = t.history.all();
    assert.equal(event.kind, 'malformed');
    assert.equal(event.status, 400);
    assert.equal(event.body.text, '{\n  "a": 1,\n  "b": \n}');
    assert.equal(event.error, reason);
    await stillServes(t.url);
  });

  it('answers other events with the configured status (to test retries), but confirmations still with 200', async () => {
    t = await startTestListener({ answerStatus: 503, publicUrl: 'https://p.example/' });
    const r1 = await postJson(t.url, klaviEvent);
    assert.equal(r1.status, 503);
    assert.match(r1.text, /503/);
    const r2 = await postJson(t.url, vkConfirmation);
    assert.equal(r2.status, 200);
    assert.deepEqual(
      t.history.all().map((e) => e.status),
      [503, 200],
    );
  });

  it('streams a non-JSON PUT (a vendor uploading a result file) to the received-files folder', async () => {
    t = await startTestListener();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const r = await httpRequest(t.url + 'results/transcript.srt', { method: 'PUT', headers: { 'Content-Type': 'text/srt' }, body: data });
    assert.equal(r.status, 200);
    const [event] = t.history.all();
    assert.equal(event.kind, 'file');
    assert.equal(event.body.size, data.length);
    assert.equal(event.body.text, undefined);
    assert.ok(event.body.file?.startsWith(t.receivedDir));
    assert.match(event.body.file ?? '', /transcript\.srt$/);
    const stored = await readFile(event.body.file!);
    assert.ok(stored.equals(data));
    assert.equal(event.body.sha256, createHash('sha256').update(data).digest('hex'));
  });

  it('spills a JSON body larger than the inline limit to a file, also when it arrives chunked', async () => {
    t = await startTestListener({ inlineLimit: 1024 });
    const big = JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => ({ i, pad: 'x'.repeat(20) })) });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(t!.url + 'big', { method: 'POST', headers: { 'Content-Type': 'application/json' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      // No Content-Length: chunked; the listener only learns the size as it goes.
      for (let i = 0; i < big.length; i += 700) {
        req.write(big.slice(i, i + 700));
      }
      req.end();
    });
    const [event] = t.history.all();
    assert.equal(event.kind, 'file');
    assert.equal(await readFile(event.body.file!, 'utf8'), big);
  });

  it('keeps a non-UTF-8 small body as base64', async () => {
    t = await startTestListener();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await httpRequest(t.url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: bytes });
    const [event] = t.history.all();
    assert.equal(event.body.base64, bytes.toString('base64'));
  });

  it('answers 413 to a body over the limit (declared length) and closes the connection instead of hanging', async () => {
    t = await startTestListener({ bodyLimit: 1000 });
    const socket = await rawConnect(t.url);
    const reply = readUntilClose(socket, 5000);
    socket.write('POST /big HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 5000000\r\n\r\n');
    socket.write(Buffer.alloc(2000));
    const { text, closed } = await reply;
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.ok(closed, 'the connection is closed, not left hanging');
    const [event] = t.history.all();
    assert.equal(event.kind, 'tooLarge');
    assert.equal(event.status, 413);
    assert.deepEqual(await readdir(t.receivedDir), [], 'no partial file is left behind');
    await stillServes(t.url);
  });

  it('answers 413 to a chunked body that grows over the limit, and before the body with Expect: 100-continue', async () => {
    t = await startTestListener({ bodyLimit: 1000 });
    const socket = await rawConnect(t.url);
    const reply = readUntilClose(socket, 5000);
    socket.write('POST /c HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    for (let i = 0; i < 5; i++) {
      socket.write(`1f4\r\n${'x'.repeat(500)}\r\n`);
    }
    const chunked = await reply;
    assert.match(chunked.text, /^HTTP\/1\.1 413 /);
    assert.ok(chunked.closed);

    const s2 = await rawConnect(t.url);
    const reply2 = readUntilClose(s2, 5000);
    s2.write('PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n');
    const expect = await reply2;
    assert.match(expect.text, /^HTTP\/1\.1 413 /, 'no 100 Continue: the client need not send the body');
    assert.ok(!expect.text.includes('100 Continue'));
    assert.equal(t.history.all().length, 2);
    await stillServes(t.url);
  });

  it('closes a slow client (headers trickling, body trickling, nothing sent at all) on its timeouts while serving others', async () => {
    t = await startTestListener({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    const silent = await rawConnect(t.url);
    const silentReply = readUntilClose(silent, 8000);
    const slowHeaders = await rawConnect(t.url);
    const slowHeadersReply = readUntilClose(slowHeaders, 8000);
    slowHeaders.write('POST / HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => slowHeaders.writable && slowHeaders.write('X-A: b\r\n'), 200);

    const slowBody = await rawConnect(t.url);
    const slowBodyReply = readUntilClose(slowBody, 8000);
    slowBody.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle2 = setInterval(() => slowBody.writable && slowBody.write(' '), 200);
    try {
      await stillServes(t.url);
      const [h, b, quiet] = await Promise.all([slowHeadersReply, slowBodyReply, silentReply]);
      assert.ok(h.closed, 'slow headers: closed');
      assert.ok(b.closed, 'slow body: closed');
      assert.ok(quiet.closed, 'a connection that sends nothing: closed');
      assert.match(h.text, /^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
      clearInterval(trickle2);
      slowHeaders.destroy();
      slowBody.destroy();
      silent.destroy();
    }
    await stillServes(t.url);
    assert.equal(t.history.all().length, 2, 'only the two pings were stored');
  });

  it('drops a client that disconnects mid-body: nothing stored, no partial file, still serving', async () => {
    t = await startTestListener({ inlineLimit: 10 });
    const socket = await rawConnect(t.url);
    socket.write('PUT /file.bin HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n');
    socket.write(Buffer.alloc(5000));
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(t.history.all().length, 0);
    assert.deepEqual(await readdir(t.receivedDir), []);
    assert.ok(t.logs.some((l) => /disconnected after 5000 bytes/.test(l)), t.logs.join('\n'));
    await stillServes(t.url);
  });

  it('survives a flood of connections beyond its cap and serves again once they go', async () => {
    t = await startTestListener({ maxConnections: 50, headersTimeoutMs: 1000 });
    const sockets = await Promise.all(
      Array.from({ length: 400 }, () =>
        rawConnect(t!.url).then(
          (s) => {
            s.on('error', () => undefined);
            return s;
          },
          () => undefined,
        ),
      ),
    );
    // Half of them send garbage, the rest nothing at all.
    sockets.forEach((s, i) => i % 2 === 0 && s?.writable && s.write('GARBAGE \x00\x01\r\n\r\n'));
    await new Promise((r) => setTimeout(r, 2500));
    for (const s of sockets) {
      s?.destroy();
    }
    await new Promise((r) => setTimeout(r, 200));
    await stillServes(t.url);
  });

  it('stores 2,000 events sent concurrently, all of them back after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3hooks-restart-'));
    try {
      t = await startTestListener({ dir });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
      const answers = await Promise.all(
        Array.from({ length: 2000 }, (_, i) =>
          httpRequest(t!.url + `e/${i}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ eventId: `n-${i}`, n: i }), agent }),
        ),
      );
      agent.destroy();
      assert.ok(answers.every((a) => a.status === 200));
      const ids = new Set(answers.map((a) => (JSON.parse(a.text) as { received: string }).received));
      await t.close();
      t = undefined;

      const reloaded = new EventHistory({ file: join(dir, 'events.jsonl'), cap: 10_000 });
      const { loaded, skipped } = await reloaded.load();
      assert.equal(loaded, 2000);
      assert.deepEqual(skipped, []);
      assert.deepEqual(new Set(reloaded.all().map((e) => e.id)), ids);
      assert.deepEqual(new Set(reloaded.all().map((e) => e.path)), new Set(Array.from({ length: 2000 }, (_, i) => `/e/${i}`)));
      await reloaded.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a taken port fails with EADDRINUSE and a message that says what to do', async () => {
    t = await startTestListener();
    const port = t.listener.port!;
    const other = new EventHistory({ file: join(t.dir, 'other.jsonl'), cap: 10 });
    const second = new WebhookListener({ port, history: other, receivedDir: join(t.dir, 'r2') });
    await assert.rejects(second.start(), (err: unknown) => {
      assert.ok(err instanceof ListenerStartError);
      assert.equal(err.code, 'EADDRINUSE');
      assert.match(err.message, new RegExp(`Port ${port} on 127.0.0.1 is already in use.*choose another port`));
      return true;
    });
    assert.equal(second.listening, false);
  });

  it('stop() lets a request in progress finish and be stored, then frees the port', async () => {
    t = await startTestListener();
    const port = t.listener.port!;
    const socket = await rawConnect(t.url);
    const reply = readUntilClose(socket, 5000);
    const body = JSON.stringify({ eventId: 'in-progress' });
    socket.write(`POST /late HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 100));
    const stopped = t.listener.stop();
    await new Promise((r) => setTimeout(r, 100));
    socket.write(body.slice(5));
    await stopped;
    const { text } = await reply;
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(t.history.all().length, 1);
    assert.equal(t.history.all()[0].path, '/late');
    const again = http.createServer();
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
  });
});
