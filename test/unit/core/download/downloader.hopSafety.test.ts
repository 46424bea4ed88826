import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadError, downloadUrl } from '../../../../src/core/download';
import type { LookupFunction } from '../../../../src/core/http/hops';
import { rejectionOf } from '../../../support/rejection';
import { selfSignedCertificate } from '../../../support/selfSigned';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const rejection = (promise: Promise<unknown>): Promise<DownloadError> => rejectionOf(promise, DownloadError);
const fast = { retryDelaysMs: [5, 5], idleTimeoutMs: 2000 };

/** A plain TCP listener that only counts the connections it gets (a gopher/ftp/dict target). */
async function connectionCounter(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((s) => {
    count++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    count: () => count,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An http server whose handler is given per test; records requests. */
async function serveWith(handler: http.RequestListener): Promise<{ origin: string; requests: http.IncomingMessage[]; server: http.Server }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

async function closeServer(server: Server | http.Server | undefined): Promise<void> {
  if (server) {
    (server as http.Server).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const transport of ['socket', 'node'] as const) {
  describe(`downloads go only where a download may go (${transport} transport)`, () => {
    let folder: string;
    let servers: (Server | http.Server)[] = [];

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 's3-hooks-hops-'));
    });
    afterEach(async () => {
      await Promise.all(servers.map(closeServer));
      servers = [];
      await rm(folder, { recursive: true, force: true });
    });

    async function redirector(location: string) {
      const s = await serveWith((_req, res) => res.writeHead(302, { location }).end());
      servers.push(s.server);
      return s;
    }

    for (const scheme of ['gopher', 'ftp', 'dict']) {
      it(`a 302 to ${scheme}:// is refused before any socket opens to it`, async () => {
        const target = await connectionCounter();
        const from = await redirector(`${scheme}://127.0.0.1:${target.port}/_GET%20/secret`);
        try {
          const err = await rejection(downloadUrl({ url: `${from.origin}/f.bin`, targetFolder: folder, transport, ...fast }));
          assert.equal(err.kind, 'refused');
          assert.match(err.message, new RegExp(`redirect pointed at a ${scheme}: address`));
          assert.equal(target.count(), 0, 'no connection reached the target');
          assert.equal(from.requests.length, 1, 'a refusal is not retried');
          assert.deepEqual(await readdir(folder), []);
        } finally {
          await target.close();
        }
      });
    }

    it('a 302 to file: is refused', async () => {
      const from = await redirector('file:///etc/passwd');
      const err = await rejection(downloadUrl({ url: `${from.origin}/f.bin`, targetFolder: folder, transport, ...fast }));
      assert.equal(err.kind, 'refused');
      assert.match(err.message, /file: address/);
    });

    for (const target of ['http://169.254.169.254/latest/meta-data/iam/', 'http://[fd00:ec2::254]/latest/', 'http://[fe80::1]/x', 'http://[::ffff:169.254.169.254]/', 'http://2852039166/']) {
      it(`a redirect to the metadata or link-local address ${target} is refused`, async () => {
        const from = await redirector(target);
        const started = Date.now();
        const err = await rejection(downloadUrl({ url: `${from.origin}/f.bin`, targetFolder: folder, transport, ...fast }));
        assert.equal(err.kind, 'refused');
        assert.match(err.message, /link-local or cloud metadata address/);
        assert.equal(from.requests.length, 1);
        assert.ok(Date.now() - started < 1500, 'refused at once, not after a connection attempt');
      });
    }

    it('a first URL naming the metadata address is refused as bad input, with no request', async () => {
      let requested = 0;
      const err = await rejection(
        downloadUrl({ url: 'http://169.254.169.254/latest/meta-data/', targetFolder: folder, transport, onRequest: () => requested++, ...fast }),
      );
      assert.equal(err.kind, 'badInput');
      assert.equal(requested, 0);
    });

    it('a host name that resolves to a link-local address is refused (the resolved address is checked)', async () => {
      const lookup: LookupFunction = (_host, _opts, cb) => cb(null, [{ address: '169.254.169.254', family: 4 }]);
      const err = await rejection(downloadUrl({ url: 'http://metadata.attacker.example/x', targetFolder: folder, transport, lookup, ...fast }));
      assert.equal(err.kind, 'refused');
      assert.match(err.message, /metadata\.attacker\.example resolves to 169\.254\.169\.254/);
    });

    it('the connection goes to the address that was looked up and checked', async () => {
      const body = randomBytes(100_000);
      const s = await serveWith((_req, res) => res.writeHead(200, { 'content-length': body.length }).end(body));
      servers.push(s.server);
      const port = new URL(s.origin).port;
      const asked: string[] = [];
      const lookup: LookupFunction = (host, _opts, cb) => {
        asked.push(host);
        cb(null, [{ address: '127.0.0.1', family: 4 }]);
      };
      const result = await downloadUrl({ url: `http://files.example:${port}/data.bin`, targetFolder: folder, transport, lookup, ...fast });
      assert.equal(sha256(await readFile(result.path)), sha256(body));
      assert.deepEqual(asked, ['files.example']);
      assert.equal(s.requests[0].headers.host, `files.example:${port}`);
    });

    it('a redirect from https down to http is not followed', async () => {
      const plain = await serveWith((_req, res) => res.writeHead(200, { 'content-length': 2 }).end('hi'));
      servers.push(plain.server);
      const tls = selfSignedCertificate();
      const secure = https.createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.writeHead(302, { location: `${plain.origin}/f.bin` }).end());
      servers.push(secure);
      await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
      try {
        const url = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/f.bin`;
        const err = await rejection(downloadUrl({ url, targetFolder: folder, transport, ca: tls.cert, ...fast }));
        assert.equal(err.kind, 'refused');
        assert.match(err.message, /stepped down from https to plain http/);
        assert.equal(plain.requests.length, 0);
      } finally {
        tls.dispose();
      }
    });

    it('a 100 Continue and the final answer arriving in one read are both parsed (no stall)', async () => {
      const raw = createServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: "e"\r\n\r\nhello'));
      });
      servers.push(raw);
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
      const started = Date.now();
      const result = await downloadUrl({
        url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/hello.txt`,
        targetFolder: folder,
        transport,
        retryDelaysMs: [],
        idleTimeoutMs: 3000,
      });
      assert.equal(await readFile(result.path, 'utf8'), 'hello');
      assert.ok(Date.now() - started < 2000, 'answered at once');
    });
  });

  describe(`a resume needs a validator (${transport} transport)`, () => {
    let folder: string;
    let server: http.Server | undefined;
    const before = randomBytes(1_000_000);

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 's3-hooks-validator-'));
    });
    afterEach(async () => {
      await closeServer(server);
      server = undefined;
      await rm(folder, { recursive: true, force: true });
    });

    /** First answer: `first` headers and 300 000 bytes of `before`, then a drop; later: `after`, honouring a Range with `partial` headers. */
    async function changingObject(after: Buffer, first: Record<string, string>, partial: Record<string, string>) {
      const s = await serveWith((req, res) => {
        if (s.requests.length === 1) {
          res.writeHead(200, { 'content-length': before.length, ...first });
          res.write(before.subarray(0, 300_000), () => req.socket.destroy());
          return;
        }
        const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
        if (m) {
          const start = Number(m[1]);
          res.writeHead(206, { 'content-length': after.length - start, 'content-range': `bytes ${start}-${after.length - 1}/${after.length}`, ...partial });
          res.end(after.subarray(start));
          return;
        }
        res.writeHead(200, { 'content-length': after.length, ...partial }).end(after);
      });
      server = s.server;
      return s;
    }

    it('a 206 without ETag or Last-Modified is not spliced on: the download restarts from zero', async () => {
      const after = randomBytes(before.length);
      const s = await changingObject(after, { etag: '"v1"' }, {});
      const result = await downloadUrl({ url: `${s.origin}/obj.bin`, targetFolder: folder, transport, ...fast });
      assert.equal(sha256(await readFile(result.path)), sha256(after), 'one whole version, never two spliced');
      assert.ok(s.requests[1].headers.range, 'the resume was tried');
      assert.equal(s.requests[2].headers.range, 'bytes=0-', 'then restarted from byte 0');
      assert.equal(s.requests[2].headers['if-match'], undefined);
    });

    it('a server that sends only Last-Modified is resumed with If-Unmodified-Since', async () => {
      const lastModified = 'Tue, 01 Dec 2026 10:00:00 GMT';
      const same = await changingObject(before, { 'last-modified': lastModified }, { 'last-modified': lastModified });
      const result = await downloadUrl({ url: `${same.origin}/obj.bin`, targetFolder: folder, transport, ...fast });
      assert.equal(sha256(await readFile(result.path)), sha256(before));
      assert.equal(same.requests.length, 2);
      assert.equal(same.requests[1].headers['if-unmodified-since'], lastModified);
      assert.equal(result.resumedFrom !== undefined && result.resumedFrom > 0, true);
    });
  });
}
