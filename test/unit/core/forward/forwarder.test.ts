import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appAnswerSummary, forwardHeaders, forwardOnce, forwardTarget, forwardWithRetries } from '../../../../src/core/forward';

interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
  sha256: string;
  size: number;
}

/** A real app under test on 127.0.0.1 that records what it received and answers with `answer`. */
async function startApp(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void, port = 0): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, sha256: hash.digest('hex'), size });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const header = (raw: string[], name: string): string | undefined => raw[raw.findIndex((v, i) => i % 2 === 0 && v.toLowerCase() === name) + 1];

describe('forwarding to the app under test', () => {
  it('appends the request path to the forward-to path and joins queries', () => {
    assert.equal(forwardTarget('http://localhost:3000/webhooks', '/vk/hook', 'x=1'), 'http://localhost:3000/webhooks/vk/hook?x=1');
    assert.equal(forwardTarget('http://localhost:3000/webhooks/', '/vk', ''), 'http://localhost:3000/webhooks/vk');
    assert.equal(forwardTarget('http://localhost:3000/webhooks?app=1', '/', 'b=2'), 'http://localhost:3000/webhooks?app=1&b=2');
    assert.equal(forwardTarget('http://localhost:3000', '/a', ''), 'http://localhost:3000/a');
  });

  it('drops hop-by-hop headers and those Connection names, keeps signatures, adds X-Forwarded-*', () => {
    const raw = ['Host', 'abc.trycloudflare.com', 'Connection', 'keep-alive, X-Trace', 'X-Trace', '1', 'Transfer-Encoding', 'chunked', 'X-Hub-Signature-256', 'sha256=ab',
      'X-Forwarded-For', '203.0.113.9', 'X-Forwarded-Proto', 'https', 'Webhook-Id', 'msg_1', 'Webhook-Id', 'msg_2'];
    assert.deepEqual(forwardHeaders(raw, { remoteAddress: '::ffff:127.0.0.1' }, 12), [
      'X-Hub-Signature-256', 'sha256=ab', 'Webhook-Id', 'msg_1', 'Webhook-Id', 'msg_2',
      'X-Forwarded-For', '203.0.113.9, 127.0.0.1', 'X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'abc.trycloudflare.com', 'Content-Length', '12',
    ]);
  });

  it('sends the same method and body bytes, in memory and from a received file, and records the answer', async () => {
    const app = await startApp((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-App': 'yes' });
      res.end('{"ok":true}');
    });
    const dir = await mkdtemp(join(tmpdir(), 's3hooks-forward-'));
    try {
      const binary = randomBytes(300_000);
      const file = join(dir, 'body.bin');
      await writeFile(file, binary);
      const json = Buffer.from('{"Records":[{"s3":{"object":{"key":"a b.wav"}}}]}');
      const raw = ['Host', '127.0.0.1:8765', 'Content-Type', 'application/json', 'X-Hub-Signature-256', 'sha256=00'];
      const one = await forwardOnce({ method: 'PUT', rawHeaders: raw, body: json, remoteAddress: '127.0.0.1' }, `${app.url}/hooks?x=1`);
      const two = await forwardOnce({ method: 'POST', rawHeaders: raw, body: { file, size: binary.length } }, `${app.url}/bin`);
      assert.equal(app.seen[0].method, 'PUT');
      assert.equal(app.seen[0].url, '/hooks?x=1');
      assert.equal(app.seen[0].sha256, sha256(json));
      assert.equal(header(app.seen[0].rawHeaders, 'x-hub-signature-256'), 'sha256=00');
      assert.equal(header(app.seen[0].rawHeaders, 'x-forwarded-host'), '127.0.0.1:8765');
      assert.equal(app.seen[1].sha256, sha256(binary));
      assert.equal(app.seen[1].size, binary.length);
      assert.equal(one.answer.status, 201);
      assert.equal(one.answer.headers?.['x-app'], 'yes');
      assert.deepEqual(one.answer.body, { size: 11, text: '{"ok":true}', truncated: false });
      assert.equal(one.answer.attempts, 1);
      assert.match(appAnswerSummary(one.answer), /^201 · \d+(\.\d)? ms$/);
      assert.equal(two.answer.status, 201);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the first 64 KiB of a large answer, or all of it to relay', async () => {
    const big = Buffer.alloc(200_000, 'a');
    const app = await startApp((_req, res) => res.end(big));
    try {
      const recorded = await forwardOnce({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, app.url);
      assert.equal(recorded.answer.body?.text?.length, 64 * 1024);
      assert.equal(recorded.answer.body?.size, 64 * 1024);
      assert.equal(recorded.answer.body?.truncated, true);
      assert.equal(recorded.relayBody, undefined);
      const relayed = await forwardOnce({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, app.url, { relayLimit: 1024 * 1024 });
      assert.equal(relayed.relayBody?.length, big.length);
      const tooBig = await forwardOnce({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, app.url, { relayLimit: 1000 });
      assert.equal(tooBig.answer.error, 'error');
      assert.match(tooBig.answer.errorMessage ?? '', /larger than 1000 bytes/);
    } finally {
      await app.close();
    }
  });

  it('records "refused" when nothing listens, and "timeout" when the app does not answer', async () => {
    const port = await freePort();
    const refused = await forwardOnce({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, `http://127.0.0.1:${port}/`);
    assert.equal(refused.answer.error, 'refused');
    assert.equal(appAnswerSummary(refused.answer), 'refused');
    assert.match(refused.answer.errorMessage ?? '', /start your app/);
    const silent = await startApp(() => undefined);
    try {
      const timedOut = await forwardOnce({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, silent.url, { timeoutMs: 200 });
      assert.equal(timedOut.answer.error, 'timeout');
    } finally {
      await silent.close();
    }
  });

  it('retries while the app is down and delivers once it is up', async () => {
    const port = await freePort();
    let app: Awaited<ReturnType<typeof startApp>> | undefined;
    const retries: number[] = [];
    const result = await forwardWithRetries({ method: 'POST', rawHeaders: [], body: Buffer.from('{"n":1}') }, `http://127.0.0.1:${port}/hook`, {
      retryDelaysMs: [20, 20, 20],
      onRetry: (_answer, delay) => {
        retries.push(delay);
        if (retries.length === 2) {
          // The app comes up after the second refusal; the next attempt must reach it.
          void startApp((_req, res) => res.end('ok'), port).then((a) => (app = a));
        }
      },
    });
    try {
      assert.equal(result.answer.status, 200);
      assert.equal(result.answer.attempts, 3);
      assert.equal(app?.seen.length, 1);
    } finally {
      await app?.close();
    }
  });

  it('gives up after the last retry and says so', async () => {
    const port = await freePort();
    const result = await forwardWithRetries({ method: 'POST', rawHeaders: [], body: Buffer.from('x') }, `http://127.0.0.1:${port}/`, { retryDelaysMs: [10, 10] });
    assert.equal(result.answer.error, 'refused');
    assert.equal(result.answer.attempts, 3);
  });
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
