import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PendingRequest, type IntakeOwner } from '../../../../src/core/listener/requestIntake';
import { RequestWatch } from '../../../../src/core/listener/requestWatch';
import { postJson, rawConnect, readUntilClose } from '../../../support/httpClient';

/**
 * The watch on its own, over a real node:http server: each request is a
 * PendingRequest watched from its first byte; `/store` is stored and answered
 * as soon as its body arrives, `/never` is never stored (the watch's backstop
 * must answer it).
 */
describe('RequestWatch (real sockets)', function () {
  this.timeout(20_000);
  const answerDeadlineMs = 300;
  let server: http.Server;
  let watch: RequestWatch;
  let url: string;
  const warnings: string[] = [];

  beforeEach(async () => {
    warnings.length = 0;
    watch = new RequestWatch({ answerDeadlineMs, minBytesPerSecond: 1024, graceMs: 200, inlineTimeoutMs: 10_000 }, (_level, message) => warnings.push(message));
    const owner: IntakeOwner = {
      receivedFilePath: () => {
        throw new Error('not used: every body here is small JSON');
      },
      finish(pending) {
        watch.bodyArrived(pending);
        if (pending.path === '/store') {
          pending.res.end('stored');
          watch.stored(pending);
        }
      },
      overLimit: () => undefined,
      spillFailed: () => undefined,
      log: () => undefined,
    };
    server = http.createServer((req, res) => {
      const pending = new PendingRequest(owner, req, res, 1 << 20, 1 << 20);
      pending.listen();
      watch.bodyStarted(pending);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    watch.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets go of every stored request at once, whatever their number', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postJson(`${url}/store`, { i })));
    assert.ok(answers.every((a) => a.status === 200 && a.text === 'stored'));
    assert.equal(watch.size, 0, 'nothing stored is still watched');
  });

  it('answers 503 for a request not stored by its deadline, and lets go of it', async () => {
    const started = Date.now();
    const answer = await postJson(`${url}/never`, { waits: true });
    assert.equal(answer.status, 503, answer.text);
    assert.ok(Date.now() - started >= answerDeadlineMs, 'not before the deadline');
    assert.ok(warnings.some((w) => /not stored within 300 ms; answered 503/.test(w)), JSON.stringify(warnings));
    assert.equal(watch.size, 0);
  });

  it('cuts a body that trickles in below the minimum rate with 408, and lets go of it', async () => {
    const socket = await rawConnect(url);
    const host = new URL(url).host;
    socket.write(`POST /store HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":"`);
    const timer = setInterval(() => socket.writable && socket.write('x'), 100);
    try {
      const { text } = await readUntilClose(socket, 5000);
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.match(text, /less than 1024 bytes per second/);
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
    assert.equal(watch.size, 0);
    // Its slot is reused: the next request is watched, stored and let go like any other.
    assert.equal((await postJson(`${url}/store`, {})).status, 200);
    assert.equal(watch.size, 0);
  });
});
