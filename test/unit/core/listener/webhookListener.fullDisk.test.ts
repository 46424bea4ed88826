import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { httpRequest, postJson, type HttpAnswer } from '../../../support/httpClient';
import { mountSmallFilesystem, type SmallFilesystem } from '../../../support/smallFilesystem';
import { historyLines } from '../../../support/historyFile';
import { startTestListener, type TestListener } from '../../../support/testListener';


/** The answer, or a clear failure when none comes (a request left hanging is the bug). */
function answerWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('webhook listener on a full disk (a real 1 MiB tmpfs)', function () {
  this.timeout(60_000);
  let fs: SmallFilesystem | undefined;
  let t: TestListener | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    fs?.unmount();
    fs = undefined;
  });

  it('answers 500 when the history cannot be written, leaves no torn line, and stores the next event once space is back', async () => {
    fs = mountSmallFilesystem('1m');
    t = await startTestListener({ dir: fs.dir });
    assert.equal((await postJson(t.url + 'first', { n: 1 })).status, 200);
    fs.fill();
    // Bigger than what is left of the file's last page: part of the line fits, the rest does not.
    const big = { n: 2, padding: 'x'.repeat(12_000) };
    const refused = await answerWithin(postJson(t.url + 'second', big), 10_000, 'event on a full disk');
    assert.equal(refused.status, 500, refused.text);
    assert.deepEqual((await historyLines(t.historyFile)).map((e) => e.path), ['/first'], 'nothing false recorded, no torn line');

    fs.free();
    const stored = await answerWithin(postJson(t.url + 'third', { n: 3 }), 10_000, 'event once space is back');
    assert.equal(stored.status, 200, 'stored again without a restart');
    assert.deepEqual((await historyLines(t.historyFile)).map((e) => e.path), ['/first', '/third']);
    assert.deepEqual(t.history.all().map((e) => e.path), ['/first', '/third']);
  });

  it('a batch of events that fits only in part: every event answered 200 is a whole line, every other one got 500', async () => {
    fs = mountSmallFilesystem('1m');
    t = await startTestListener({ dir: fs.dir });
    assert.equal((await postJson(t.url + 'first', { n: 0 })).status, 200);
    fs.fill();
    fs.free(32 * 1024);
    // Sent at once, so that they are written together (one write of many lines) and the disk fills part way through.
    const answers = await answerWithin(
      Promise.all(Array.from({ length: 40 }, (_, n) => postJson(t!.url + `e${n}`, { n, padding: 'x'.repeat(3000) }))),
      20_000,
      'events on a nearly full disk',
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(statuses.includes(200) && statuses.includes(500), `some fit and some did not: ${statuses.join(' ')}`);
    assert.ok(statuses.every((s) => s === 200 || s === 500), statuses.join(' '));
    const answered = answers.flatMap((a, n) => (a.status === 200 ? [`/e${n}`] : []));
    const inFile = (await historyLines(t.historyFile)).map((e) => e.path);
    assert.deepEqual([...inFile].sort(), ['/first', ...answered].sort(), 'the file holds exactly the events answered 200, each whole');

    fs.free();
    assert.equal((await postJson(t.url + 'after', { n: 41 })).status, 200, 'stores again once space is back');
    assert.deepEqual((await historyLines(t.historyFile)).map((e) => e.path).slice(-1), ['/after']);
  });

  it('answers 5xx at once when a received file cannot be written, keeps no part of it and claims nothing', async () => {
    fs = mountSmallFilesystem('1m');
    t = await startTestListener({ dir: fs.dir });
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const r: HttpAnswer = await answerWithin(
      httpRequest(t.url + 'upload/audio.bin', { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body }),
      10_000,
      'a body larger than the disk',
    );
    assert.ok(r.status >= 500, `answered ${r.status}: ${r.text}`);
    const received = await readdir(join(fs.dir, 'received')).catch(() => []);
    assert.deepEqual(received, [], 'no partial received file is left');
    for (const event of await historyLines(t.historyFile)) {
      assert.ok(event.status >= 500 && event.body.dropped, `a line claims the body was stored: ${JSON.stringify(event)}`);
    }
    const next = await answerWithin(postJson(t.url + 'after', { ok: true }), 10_000, 'an event after the failed upload');
    assert.equal(next.status, 200, next.text);
  });
});
