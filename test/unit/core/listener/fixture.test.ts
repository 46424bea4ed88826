import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureProblem, saveEventAsFixture } from '../../../../src/core/listener/fixture';
import { storedEvent as event } from '../../../support/storedEvent';

describe('Save as Fixture (core/listener/fixture)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-hooks-fixture-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an inline body under its fixture name, and never replaces a file: the second save gets " (1)"', async () => {
    const e = event({ body: { size: 11, text: '{"a": true}' } });
    const first = await saveEventAsFixture(e, join(dir, 'new', 'folder'));
    const second = await saveEventAsFixture(e, join(dir, 'new', 'folder'));
    assert.notEqual(first, second);
    assert.match(second, / \(1\)\.json$/);
    assert.equal(await readFile(first, 'utf8'), '{"a": true}');
    assert.equal(await readFile(second, 'utf8'), '{"a": true}');
  });

  it('copies a received file', async () => {
    const received = join(dir, 'received.bin');
    await writeFile(received, Buffer.from([0, 1, 2, 255]));
    const saved = await saveEventAsFixture(event({ body: { size: 4, file: received } }), join(dir, 'out'));
    assert.deepEqual(await readFile(saved), Buffer.from([0, 1, 2, 255]));
  });

  it('refuses an event whose body was over the size limit, writing nothing', async () => {
    const dropped = event({ body: { size: 10_000_000, dropped: true } });
    assert.match(fixtureProblem(dropped) ?? '', /over the size limit/);
    await assert.rejects(saveEventAsFixture(dropped, join(dir, 'out')), /over the size limit/);
    assert.deepEqual(await readdir(dir), []);
  });
});
