import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadError, downloadUrl, type HttpTransport } from '../../../../src/core/download';
import { rejectionOf } from '../../../support/rejection';

// Auto-fetch's per-file limit, enforced by the downloader on what the server sends (the event that
// pointed at the file may state no size, or a false one). Real sockets, a real folder.
describe('downloader with a size limit (maxBytes)', () => {
  const limit = 1024 * 1024;
  const big = Buffer.alloc(2 * limit, 7);
  const chunkedBytes = 256 * limit;
  let server: http.Server;
  let base: string;
  let folder: string;
  /** Bytes the server managed to send on each path (a refused download stops reading early). */
  const sent = new Map<string, number>();

  before(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? '/';
      const body = path === '/small.bin' ? big.subarray(0, 1000) : big;
      let count = 0;
      const write = (chunk: Buffer) => {
        count += chunk.length;
        sent.set(path, count);
        return res.write(chunk);
      };
      if (path === '/chunked.bin') {
        // No Content-Length: chunked, 64 KiB at a time while the client reads, 256 MiB in all (more than
        // the socket buffers hold, so what was sent shows when the client stopped).
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const piece = big.subarray(0, 65536);
        let offset = 0;
        const pump = () => {
          while (offset < chunkedBytes) {
            offset += piece.length;
            if (!write(piece)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length), ETag: '"v1"' });
      write(body);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3-hooks-limit-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  for (const transport of ['socket', 'node'] as HttpTransport[]) {
    it(`refuses a file whose announced size is over the limit before writing anything (${transport})`, async () => {
      const err = await rejectionOf(downloadUrl({ url: `${base}/announced.bin`, targetFolder: folder, maxBytes: limit, presigned: false, transport }), DownloadError);
      assert.equal(err.kind, 'refused');
      assert.match(err.message, new RegExp(`The file is ${big.length} bytes, over the limit of ${limit} bytes set for this fetch; nothing was saved\\.`));
      assert.deepEqual(await readdir(folder), []);
    });

    it(`stops a file sent without a size once it passes the limit, and leaves no file (${transport})`, async () => {
      const err = await rejectionOf(downloadUrl({ url: `${base}/chunked.bin`, targetFolder: folder, maxBytes: limit, presigned: false, transport }), DownloadError);
      assert.equal(err.kind, 'refused');
      assert.match(err.message, new RegExp(`sent more than ${limit} bytes without announcing its size`));
      assert.deepEqual(await readdir(folder), []);
      assert.ok((sent.get('/chunked.bin') ?? 0) < chunkedBytes / 4, `the client stopped reading early (the server sent ${sent.get('/chunked.bin')} bytes)`);
    });
  }

  it('fetches a file under the limit as usual, and a limit does not affect ranged downloads of allowed sizes', async () => {
    const small = await downloadUrl({ url: `${base}/small.bin`, targetFolder: folder, maxBytes: limit, presigned: false });
    assert.equal((await readFile(small.path)).length, 1000);
    const whole = await downloadUrl({ url: `${base}/announced.bin`, targetFolder: folder, maxBytes: big.length, presigned: false, fileName: 'whole.bin' });
    assert.deepEqual(await readFile(whole.path), big);
  });
});
