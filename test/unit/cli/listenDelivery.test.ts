import * as assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { confirmationSignature } from '../../../src/core/confirmation/signature';
import { EventHistory } from '../../../src/core/listener/eventHistory';
import type { WebhookEvent } from '../../../src/core/listener/webhookEvent';
import { httpRequest, postJson } from '../../support/httpClient';
import { vkConfirmation, vkConfirmationFields } from '../../support/vkConfirmation';

const confirmation = vkConfirmation;
const fields = vkConfirmationFields;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Running {
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Ctrl+C: resolves to the exit code. */
  stop: () => Promise<number>;
}

/** Runs `s3-hooks listen` in this process (real sockets), stopped through its abort signal as SIGINT would. */
async function listen(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const controller = new AbortController();
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  const done = main(['listen', '--port', '0', ...args], { stdout, stderr, stdin, env, signal: controller.signal });
  const url = await new Promise<string>((resolve, reject) => {
    stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(err);
      // With --tunnel, ready once the public URL was printed too.
      if (m && (!args.includes('--tunnel') || /Public URL: /.test(err))) {
        resolve(m[1]);
      }
    });
    done.then((code) => reject(new Error(`listen ended with ${code}: ${err}`)), reject);
  });
  return {
    url,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}

/** Output appears asynchronously (a forward ends after the provider's answer): wait for a line that matches. */
async function waitFor(read: () => string, pattern: RegExp, count = 1): Promise<string[]> {
  for (;;) {
    const lines = read().split('\n').filter((l) => pattern.test(l));
    if (lines.length >= count) {
      return lines;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  sha256: string;
}

/** The app under test: a real server recording what reached it. */
async function startApp(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, sha256: hash.digest('hex') });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Sends a body with Transfer-Encoding: chunked, in several pieces. */
function postChunked(url: string, pieces: Buffer[], contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': contentType }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    for (const p of pieces) {
      req.write(p);
    }
    req.end();
  });
}

async function storedEvents(history: string): Promise<WebhookEvent[]> {
  const h = new EventHistory({ file: history, cap: 1000 });
  await h.load();
  const events = h.all();
  await h.close();
  return events;
}

describe('CLI: listen --forward-to, --answer-mode, --answer, --secret, --tunnel', function () {
  this.timeout(60_000);
  let dir: string;
  let history: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3hooks-cli-delivery-'));
    history = join(dir, 'events.jsonl');
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) {
      await c();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('--forward-to passes JSON, binary and chunked bodies on byte for byte, and prints one line per forward', async () => {
    const app = await startApp((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{"handled":true}');
    });
    cleanups.push(() => app.close());
    const l = await listen(['--history', history, '--forward-to', `${app.url}/webhooks`]);
    const json = Buffer.from(JSON.stringify({ Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'ü ß.wav', sequencer: '1' } } }] }));
    const binary = randomBytes(2 * 1024 * 1024);
    const chunked = [Buffer.from('{"eventId":"e-1","eventType":"analysis'), Buffer.from('.finished","payload":{"n":'), Buffer.from('1}}')];
    assert.equal((await postJson(`${l.url}hooks/s3?src=test`, json.toString())).status, 200);
    assert.equal((await httpRequest(`${l.url}upload/result.bin`, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: binary })).status, 200);
    assert.equal(await postChunked(`${l.url}hooks/klavi`, chunked, 'application/json'), 200);
    const lines = await waitFor(l.stdout, / forward /, 3);
    assert.equal(await l.stop(), 0);
    const byPath = new Map(app.received.map((r) => [r.url, r]));
    assert.equal(byPath.get('/webhooks/hooks/s3?src=test')?.sha256, sha256(json));
    assert.equal(byPath.get('/webhooks/upload/result.bin')?.sha256, sha256(binary));
    assert.equal(byPath.get('/webhooks/upload/result.bin')?.method, 'PUT');
    assert.equal(byPath.get('/webhooks/hooks/klavi')?.sha256, sha256(Buffer.concat(chunked)));
    assert.equal(byPath.get('/webhooks/hooks/s3?src=test')?.headers['x-forwarded-for'], '127.0.0.1');
    for (const line of lines) {
      assert.match(line, /→ 201 · [\d.]+ ms http:\/\/127\.0\.0\.1:\d+\/webhooks\//);
    }
    const events = await storedEvents(history);
    assert.equal(events.length, 3);
    assert.ok(events.every((e) => e.forward?.status === 201 && e.forward.body?.text === '{"handled":true}'), 'the app\'s answer is stored with each event');
  });

  it('--forward-to retries while the app is down and records "refused" when it never comes up', async () => {
    const l = await listen(['--history', history, '--forward-to', 'http://127.0.0.1:9/hooks']);
    assert.equal((await postJson(`${l.url}a`, { n: 1 })).status, 200, 'the provider gets the listener\'s answer at once');
    await waitFor(l.stderr, /Trying again in 1 s/);
    // Stopping ends the retries; the refusal is recorded before the history closes.
    assert.equal(await l.stop(), 0);
    const [line] = await waitFor(l.stdout, / forward /);
    const events = await storedEvents(history);
    assert.equal(events[0].forward?.error, 'refused');
    assert.match(line, /→ refused .*Nothing is listening/);
  });

  it('--answer-mode proxy gives the provider the app\'s answer, 502 when it has none, and checks a VK confirmation answer', async () => {
    let wrong = false;
    const app = await startApp((_req, res) => {
      res.writeHead(wrong ? 200 : 202, { 'Content-Type': 'application/json', 'X-App': 'handler' });
      res.end(wrong ? '{"signature":"0000"}' : '{"app":"answer"}');
    });
    const l = await listen(['--history', history, '--forward-to', app.url, '--answer-mode', 'proxy', '--public-url', 'https://hooks.example.net']);
    cleanups.push(() => l.stop());
    const ordinary = await postJson(`${l.url}events`, { Records: [] });
    assert.equal(ordinary.status, 202);
    assert.equal(ordinary.headers['x-app'], 'handler');
    assert.equal(ordinary.text, '{"app":"answer"}');
    wrong = true;
    const confirmed = await postJson(`${l.url}hooks/vk`, confirmation);
    assert.equal(confirmed.text, '{"signature":"0000"}', 'the provider gets what the app answered');
    const expected = confirmationSignature({ ...fields, url: 'https://hooks.example.net/hooks/vk' });
    const [flagged] = await waitFor(l.stdout, /confirmation signature WRONG/);
    assert.ok(flagged.includes(`expected ${expected}, the app answered 0000`), flagged);
    await app.close();
    const down = await postJson(`${l.url}events`, { n: 2 });
    assert.equal(down.status, 502);
    assert.match(down.text, /the app did not answer: Nothing is listening/);
    await waitFor(l.stdout, / forward .*→ refused/);
    await l.stop();
    const events = await storedEvents(history);
    assert.equal(events.length, 3, 'every event is stored, answered by the app or not');
    assert.deepEqual(events.map((e) => e.status), [202, 200, 502]);
    assert.deepEqual(events[1].appConfirmation, { expected, answered: '0000', correct: false });
  });

  it('--answer answers the first deliveries as the rule says, waits @DELAY, and leaves confirmations alone', async () => {
    const l = await listen(['--history', history, '--answer', '/retry/*=503x2', '--answer', '/slow=202@300ms']);
    cleanups.push(() => l.stop());
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await postJson(`${l.url}retry/a`, { Records: [] })).status);
    }
    assert.deepEqual(statuses, [503, 503, 200]);
    const vk = await postJson(`${l.url}retry/vk`, confirmation);
    assert.equal(vk.status, 200);
    assert.match(vk.text, /"signature":"[0-9a-f]{64}"/);
    const started = performance.now();
    assert.equal((await postJson(`${l.url}slow`, {})).status, 202);
    assert.ok(performance.now() - started >= 295, 'the answer waited for the rule\'s delay');
    const lines = await waitFor(l.stdout, /answered by rule/, 3);
    assert.match(lines[0], /^\S+ 503 POST \/retry\/a .*answered by rule \/retry\/\*=503x2/);
    await l.stop();
  });

  it('--secret checks signatures, stores every event, and answers 401 only with --reject-bad-signatures', async () => {
    const secret = 'gh-s3cr3t';
    const body = '{"action":"opened"}';
    const good = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const l = await listen(['--history', history, '--secret', `/gh=github:${secret}`]);
    assert.equal((await postJson(`${l.url}gh`, body, { 'X-Hub-Signature-256': good })).status, 200);
    assert.equal((await postJson(`${l.url}gh`, body, { 'X-Hub-Signature-256': 'sha256=00' })).status, 200);
    const lines = await waitFor(l.stdout, / POST \/gh /, 2);
    assert.match(lines[0], /signature ✓/);
    assert.match(lines[1], /signature ✗: the x-hub-signature-256 header does not match the body/);
    assert.ok(!l.stdout().includes(secret) && !l.stderr().includes(secret), 'the secret is never printed');
    await l.stop();
    const strict = await listen(['--history', history, '--secret', `/gh=github:${secret}`, '--reject-bad-signatures']);
    cleanups.push(() => strict.stop());
    assert.equal((await postJson(`${strict.url}gh`, body, { 'X-Hub-Signature-256': 'sha256=00' })).status, 401);
    assert.equal((await postJson(`${strict.url}gh`, body, { 'X-Hub-Signature-256': good })).status, 200);
    await strict.stop();
    assert.equal((await storedEvents(history)).length, 4, 'rejected events are stored too');
  });

  it('--tunnel cloudflared prints the public URL, signs confirmations over it, logs its output and stops with the listener', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(join(__dirname, '..', '..', 'support', 'tunnels', 'cloudflared.js'), join(bin, 'cloudflared'));
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const l = await listen(['--history', history, '--tunnel', 'cloudflared'], env);
    assert.match(l.stderr(), /Public URL: https:\/\/gentle-river-quiet-harbor\.trycloudflare\.com \(cloudflared/);
    const answer = await postJson(`${l.url}hooks/vk`, confirmation);
    assert.equal(answer.text, JSON.stringify({ signature: confirmationSignature({ ...fields, url: 'https://gentle-river-quiet-harbor.trycloudflare.com/hooks/vk' }) }));
    assert.equal(await l.stop(), 0);
    const log = await readFile(`${history}.tunnel.log`, 'utf8');
    assert.match(log, /Your quick Tunnel has been created/);
    assert.match(log, /Initiating graceful shutdown/, 'the tunnel was stopped with the listener');
  });

  it('--tunnel ngrok without an authtoken fails with what to do; bad option values are usage errors', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(join(__dirname, '..', '..', 'support', 'tunnels', 'ngrok.js'), join(bin, 'ngrok'));
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, S3HOOKS_STANDIN_MODE: 'no-authtoken' };
    const run = async (args: string[], e: NodeJS.ProcessEnv = env): Promise<{ code: number; err: string }> => {
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await main(['listen', '--port', '0', '--history', history, ...args], { stdout: new PassThrough(), stderr, stdin: Readable.from([]), env: e });
      return { code, err };
    };
    const ngrok = await run(['--tunnel', 'ngrok']);
    assert.equal(ngrok.code, 1);
    assert.match(ngrok.err, /ngrok config add-authtoken/);
    assert.equal((await run(['--tunnel', 'cloudflared'], { PATH: join(dir, 'empty') })).code, 1);
    assert.equal((await run(['--answer-mode', 'proxy'])).code, 2);
    assert.equal((await run(['--answer', '/x=5o3'])).code, 2);
    assert.equal((await run(['--forward-to', 'ftp://x'])).code, 2);
    const badSecret = await run(['--secret', '/x=gitlab:topsecret']);
    assert.equal(badSecret.code, 2);
    assert.ok(!badSecret.err.includes('topsecret'), badSecret.err);
  });
});
