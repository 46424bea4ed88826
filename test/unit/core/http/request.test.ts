import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { httpRequest, HttpRequestError } from '../../../../src/core/http';
import { rejectionOf } from '../../../support/rejection';

const failure = (p: Promise<unknown>) => rejectionOf(p, HttpRequestError);

describe('httpRequest (the small clients\' HTTP helper) against real servers', () => {
  let server: http.Server;
  let origin: string;
  const seen: { method?: string; url?: string; body: string }[] = [];
  let silent: Server;
  let silentPort: number;
  const silentSockets = new Set<Socket>();

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString() });
        if (req.url === '/big') {
          res.end(Buffer.alloc(200_000, 'x'));
        } else if (req.url?.startsWith('/to/')) {
          res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) }).end();
        } else if (req.url === '/loop') {
          res.writeHead(301, { location: '/loop' }).end();
        } else {
          res.writeHead(200, { 'content-type': 'text/plain', 'x-multi': ['a', 'b'] }).end(`hello ${req.method}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    silent = createServer((s) => {
      silentSockets.add(s);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    silentSockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('GETs and POSTs (a buffer or a stream body), headers flattened', async () => {
    const got = await httpRequest(`${origin}/x`);
    assert.equal(got.status, 200);
    assert.equal(got.body.toString(), 'hello GET');
    assert.equal(got.headers['x-multi'], 'a, b');
    const posted = await httpRequest(`${origin}/p`, { method: 'POST', body: 'abc' });
    assert.equal(posted.body.toString(), 'hello POST');
    await httpRequest(`${origin}/s`, { method: 'PUT', body: Readable.from([Buffer.from('str'), Buffer.from('eam')]) });
    assert.deepEqual(seen.slice(-2).map((s) => s.body), ['abc', 'stream']);
  });

  it('a server that never answers is a timeout after the deadline', async () => {
    const started = Date.now();
    const err = await failure(httpRequest(`http://127.0.0.1:${silentPort}/`, { timeoutMs: 300 }));
    assert.equal(err.failure, 'timeout');
    assert.match(err.message, /No answer from 127\.0\.0\.1:\d+ within 300 ms/);
    assert.ok(Date.now() - started < 2000);
  });

  it('an answer over the cap fails, or is truncated when asked', async () => {
    const err = await failure(httpRequest(`${origin}/big`, { maxBytes: 64 * 1024 }));
    assert.equal(err.failure, 'tooLarge');
    const cut = await httpRequest(`${origin}/big`, { maxBytes: 1000, overflow: 'truncate' });
    assert.equal(cut.body.length, 1000);
    assert.equal(cut.truncated, true);
  });

  it('redirects: returned as they are by default, followed when asked, re-checked, limited', async () => {
    const as = await httpRequest(`${origin}/to/${encodeURIComponent('/x')}`);
    assert.equal(as.status, 302);
    const followed = await httpRequest(`${origin}/to/${encodeURIComponent('/x')}`, { maxRedirects: 3 });
    assert.equal(followed.status, 200);
    assert.equal(followed.url.pathname, '/x');
    const before = silentSockets.size;
    const gopher = await failure(httpRequest(`${origin}/to/${encodeURIComponent(`gopher://127.0.0.1:${silentPort}/`)}`, { maxRedirects: 3 }));
    assert.equal(gopher.failure, 'refused');
    assert.equal(silentSockets.size, before, 'no connection to the gopher target');
    const metadata = await failure(httpRequest(`${origin}/to/${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`, { maxRedirects: 3 }));
    assert.match(metadata.message, /link-local or cloud metadata/);
    const loop = await failure(httpRequest(`${origin}/loop`, { maxRedirects: 3 }));
    assert.match(loop.message, /Too many redirects \(more than 3\)/);
    const ruled = await failure(httpRequest(`${origin}/to/${encodeURIComponent('http://localhost/')}`, { maxRedirects: 3, refuse: (u) => (u.hostname === 'localhost' ? 'not that host' : undefined) }));
    assert.equal(ruled.message, 'not that host');
  });

  it('connection refused is a network failure with its code', async () => {
    const err = await failure(httpRequest('http://127.0.0.1:1/'));
    assert.equal(err.failure, 'network');
    assert.equal(err.code, 'ECONNREFUSED');
    assert.doesNotMatch(err.message, /ECONNREFUSED: ECONNREFUSED/);
  });
});
