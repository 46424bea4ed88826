import * as assert from 'node:assert/strict';
import { EventRing } from '../../../../src/core/listener/eventRing';

const line = (id: string, pad = ''): string => JSON.stringify({ id, receivedAt: '2026-11-22T10:00:00.000Z', pad });

describe('event ring (newest event lines, outside the JS heap)', () => {
  it('keeps the newest `capacity` lines in order and finds them by id', () => {
    const ring = new EventRing(3, 1 << 20);
    const seqs = ['a', 'b', 'c', 'd', 'e'].map((id) => ring.push(line(id)));
    assert.deepEqual(seqs, [0, 1, 2, 3, 4]);
    assert.equal(ring.size, 3);
    assert.deepEqual(
      ring.seqs().map((s) => (JSON.parse(ring.line(s)!) as { id: string }).id),
      ['c', 'd', 'e'],
    );
    assert.equal(ring.find('d'), 3);
    assert.equal(ring.find('a'), undefined, 'evicted');
    assert.equal(ring.find('d"'), undefined);
    assert.equal(ring.has(0), false);
  });

  it('round-trips non-ASCII text byte for byte', () => {
    const ring = new EventRing(4, 1 << 20);
    const text = line('ü', 'пример ✓ \u2028 "quoted" \\ \n');
    const seq = ring.push(text);
    assert.equal(ring.line(seq), text);
    assert.equal(ring.find('ü'), seq);
  });

  it('deletes, replaces and clears', () => {
    const ring = new EventRing(10, 1 << 20);
    ['a', 'b', 'c'].forEach((id) => ring.push(line(id)));
    assert.equal(ring.delete(ring.find('b')!), true);
    assert.equal(ring.size, 2);
    assert.equal(ring.find('b'), undefined);
    const c = ring.find('c')!;
    ring.replace(c, line('c', 'annotated'));
    assert.match(ring.line(c)!, /annotated/);
    assert.equal(ring.size, 2);
    ring.clear();
    assert.equal(ring.size, 0);
    assert.equal(ring.bytes, 0);
    assert.deepEqual(ring.seqs(), []);
    ring.push(line('z'));
    assert.deepEqual(ring.seqs().length, 1);
  });

  it('keeps within its byte budget by dropping the oldest, across slabs, with big lines in slabs of their own', () => {
    const big = 'x'.repeat(700 * 1024);
    const ring = new EventRing(100, 2 * 1024 * 1024);
    for (let i = 0; i < 10; i++) {
      ring.push(line(`big-${i}`, big));
      assert.ok(ring.bytes <= 2 * 1024 * 1024, `${ring.bytes} bytes held`);
    }
    assert.ok(ring.size >= 2 && ring.size <= 3);
    assert.equal(ring.find('big-9'), 9);
    assert.equal((JSON.parse(ring.line(9)!) as { pad: string }).pad.length, big.length);
    const huge = line('huge', 'y'.repeat(3 * 1024 * 1024));
    const seq = ring.push(huge);
    assert.equal(ring.size, 1, 'a line over the budget is still kept, alone');
    assert.equal(ring.line(seq), huge);
  });

  it('reuses emptied slabs without touching a line still held (many slabs go round, some lines replaced or deleted)', () => {
    const ring = new EventRing(3000, 64 * 1024 * 1024);
    const expected = new Map<number, string>();
    for (let i = 0; i < 20_000; i++) {
      const line = JSON.stringify({ id: `e${i}`, pad: String(i % 10).repeat(200 + (i % 400)) });
      const seq = ring.push(line);
      expected.set(seq, line);
      if (i % 7 === 0 && ring.has(seq - 5)) {
        const replaced = JSON.stringify({ id: `e${i - 5}`, replaced: true });
        ring.replace(seq - 5, replaced);
        expected.set(seq - 5, replaced);
      }
      if (i % 11 === 0) {
        ring.delete(seq - 3);
      }
      // The oldest line still held sits in the slab most likely to have just been emptied and reused.
      const oldest = seq - 2999;
      if (ring.has(oldest)) {
        assert.equal(ring.line(oldest), expected.get(oldest), `oldest line ${oldest} after push ${seq}`);
      }
    }
    const held = ring.seqs();
    assert.ok(held.length > 2500, `held ${held.length}`);
    for (const seq of held) {
      assert.equal(ring.line(seq), expected.get(seq), `line ${seq}`);
    }
  });

  it('finds records whose id is not the first field by parsing them', () => {
    const ring = new EventRing(5, 1 << 20);
    ring.push(JSON.stringify({ receivedAt: 'x', id: 'late' }));
    ring.push(line('early'));
    assert.equal(ring.find('late'), 0);
    assert.equal(ring.find('early'), 1);
  });
});
