import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { postJson, rawConnect, readUntilClose } from '../../../support/httpClient';
import { startTestListener, type TestListener } from '../../../support/testListener';

/** A connection that sends a request's headers and then its body one byte at a time, every `everyMs`. */
async function trickle(url: string, path: string, everyMs: number, headersOnly = false): Promise<{ socket: net.Socket; stop: () => void }> {
  const socket = await rawConnect(url);
  socket.on('error', () => undefined);
  const host = new URL(url).host;
  if (headersOnly) {
    // Headers that never end: the header timeout's case.
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\n`);
  } else {
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":"`);
  }
  const timer = setInterval(() => socket.writable && socket.write(headersOnly ? 'X' : 'x'), everyMs);
  return { socket, stop: () => clearInterval(timer) };
}

/** A keep-alive connection that made one request and now sits idle. */
function idleKeepAlive(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + 'idle', { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end('{"idle":true}');
  });
}

describe('webhook listener: slow and idle clients cannot starve it (real sockets)', function () {
  this.timeout(60_000);
  let t: TestListener | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    cleanups.splice(0).forEach((c) => c());
    await t?.close();
    t = undefined;
  });

  it('cuts a body that arrives below the minimum data rate with 408, long before the request timeout', async () => {
    t = await startTestListener();
    const slow = await trickle(t.url, '/slow', 200);
    cleanups.push(slow.stop, () => slow.socket.destroy());
    const started = Date.now();
    const seen = await readUntilClose(slow.socket, 15_000);
    assert.ok(seen.closed, 'the listener closed the trickling connection');
    assert.match(seen.text, /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - started < 12_000, `cut after ${Date.now() - started} ms`);
    assert.equal((await postJson(t.url + 'ok', { ok: true })).status, 200);
  });

  it('drops idle keep-alive connections first when the connection cap is reached, so a new request is answered', async () => {
    t = await startTestListener({ maxConnections: 20 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    cleanups.push(() => agent.destroy());
    await Promise.all(Array.from({ length: 20 }, () => idleKeepAlive(t!.url, agent)));
    const r = await postJson(t.url + 'fresh', { fresh: true });
    assert.equal(r.status, 200, r.text);
  });

  it('answers a good event promptly while hundreds of idle, trickling and header-stalling connections are open', async () => {
    t = await startTestListener();
    const url = t.url;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
    cleanups.push(() => agent.destroy());
    await Promise.all(Array.from({ length: 100 }, () => idleKeepAlive(url, agent)));
    for (let i = 0; i < 100; i++) {
      const body = await trickle(url, `/trickle/${i}`, 500);
      const headers = await trickle(url, `/stall/${i}`, 500, true);
      cleanups.push(body.stop, headers.stop, () => body.socket.destroy(), () => headers.socket.destroy());
    }
    const started = Date.now();
    const r = await postJson(url + 'provider', { eventId: 'real', eventType: 'analysis' });
    const waited = Date.now() - started;
    assert.equal(r.status, 200, r.text);
    // Correctness, not speed: an answer within a generous bound instead of never.
    assert.ok(waited < 5000, `answered after ${waited} ms`);
  });
});
