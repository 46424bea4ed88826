import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParameters, hostileJson } from '../../support/fuzz';
import { historyLines } from '../../support/historyFile';
import { postJson, rawConnect, readUntilClose } from '../../support/httpClient';
import { startTestListener, type TestListener } from '../../support/testListener';

// The listener as anyone on the internet sees it through a tunnel: raw bytes on a socket.
// Whatever arrives, it keeps running, answers a good event 200 afterwards, and its history
// stays one JSON record per line.

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), token, fc.string({ maxLength: 8 }));
const path = fc.oneof(
  fc.constantFrom('/', '/hooks/vk', '/a/../../etc/passwd', '/%zz', '/?q=%', '*', '/x?' + 'a=1&'.repeat(50)),
  fc.webPath(),
  fc.string({ maxLength: 40 }).map((s) => '/' + s),
);
const header = fc.oneof(
  fc.tuple(fc.constantFrom('Content-Type'), fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'audio/mpeg', '', ';;;')),
  fc.tuple(fc.constantFrom('Origin', 'Sec-Fetch-Site', 'X-Amz-Sns-Message-Type', 'Expect', 'Connection', 'Authorization', 'Host'), fc.string({ maxLength: 30 })),
  fc.tuple(token, fc.string({ maxLength: 30 })),
);
const body = fc.oneof(
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.integer({ min: 1, max: 3000 }).map((n) => Buffer.from('['.repeat(n))),
);
/** How the body is framed: honest length, a lying length, chunked (maybe broken), or none. */
const framing = fc.constantFrom('length', 'short', 'long', 'chunked', 'badChunked', 'none');

function requestBytes(m: string, p: string, headers: [string, string][], b: Buffer, frame: string): Buffer {
  const lines = [`${m} ${p} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([n, v]) => `${n}: ${v.replace(/[\r\n]/g, ' ')}`)];
  let payload = b;
  if (frame === 'length') {
    lines.push(`Content-Length: ${b.length}`);
  } else if (frame === 'short') {
    lines.push(`Content-Length: ${Math.max(0, b.length - 3)}`);
  } else if (frame === 'long') {
    lines.push(`Content-Length: ${b.length + 50}`);
  } else if (frame === 'chunked' || frame === 'badChunked') {
    lines.push('Transfer-Encoding: chunked');
    const size = frame === 'chunked' ? b.length.toString(16) : 'zz';
    payload = Buffer.concat([Buffer.from(`${size}\r\n`), b, Buffer.from('\r\n0\r\n\r\n')]);
  }
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), payload]);
}

describe('fuzz: raw requests against a running listener (real sockets)', function () {
  this.timeout(0);
  let t: TestListener | undefined;
  before(async () => {
    t = await startTestListener({ inlineBodyTimeoutMs: 2000 });
  });
  after(async () => {
    await t?.close();
  });

  it('closes or answers every connection, keeps serving, and keeps a history of whole JSON lines', async () => {
    const listener = t!;
    await fc.assert(
      fc.asyncProperty(method, path, fc.array(header, { maxLength: 6 }), body, framing, async (m, p, headers, b, frame) => {
        const socket = await rawConnect(listener.url);
        socket.end(requestBytes(m, p, headers, b, frame));
        const seen = await readUntilClose(socket, 8000);
        socket.destroy();
        assert.ok(seen.closed, `the listener left the connection open: ${seen.text.slice(0, 200)}`);
      }),
      fuzzParameters(60),
    );
    const ok = await postJson(listener.url + 'after-fuzz', { eventId: 'after', eventType: 'analysis' });
    assert.equal(ok.status, 200, ok.text);
    const lines = await historyLines(listener.historyFile);
    assert.ok(lines.every((e) => typeof e.id === 'string' && typeof e.status === 'number'));
    assert.equal(lines[lines.length - 1].path, '/after-fuzz');
  });
});
