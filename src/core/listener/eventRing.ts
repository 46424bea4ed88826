/** Bytes per slab: lines are packed into buffers of this size (a longer line gets a slab of its own). */
const slabSize = 1024 * 1024;

interface Slab {
  buffer: Buffer;
  used: number;
  /** Entries whose bytes are in this slab. */
  live: number;
}

const idPrefix = '{"id":"';
const idPrefixBytes = Buffer.from(idPrefix, 'utf8');

/**
 * The newest events' JSON lines, kept in memory *outside* the JavaScript
 * heap: each line's UTF-8 bytes are packed into 1 MiB Buffers, and slots are
 * located through typed arrays. At the rates a webhook listener can be hit
 * with, keeping every event as JavaScript objects (or even strings) made the
 * garbage collector copy each of them as it aged; here there is nothing for
 * it to trace. Lines are parsed again when someone asks for an event.
 *
 * Entries are numbered by a sequence (`seq`, in arrival order); slot
 * `seq % capacity` holds entry `seq`, so the oldest falls out when a new one
 * comes in. A byte budget evicts more of the oldest when lines are large.
 */
export class EventRing {
  private readonly slabOf: Int32Array;
  private readonly offsetOf: Int32Array;
  private readonly lengthOf: Int32Array;
  /** Which seq a slot holds, or -1. */
  private readonly seqAt: Float64Array;
  private readonly slabs = new Map<number, Slab>();
  /**
   * Emptied slabs kept for reuse. Under load the ring fills a slab every few
   * hundred events; allocating each anew was memory outside the heap that
   * counted towards V8's next full collection, a pause of several ms that
   * every request in flight waits through.
   */
  private readonly spare: Buffer[] = [];
  private current = -1;
  private nextSlabId = 0;
  private nextSeq = 0;
  /** No live entry has a seq below this. */
  private oldest = 0;
  private liveCount = 0;
  private liveBytes = 0;

  constructor(
    readonly capacity: number,
    private readonly maxBytes: number,
  ) {
    this.slabOf = new Int32Array(capacity);
    this.offsetOf = new Int32Array(capacity);
    this.lengthOf = new Int32Array(capacity);
    this.seqAt = new Float64Array(capacity).fill(-1);
  }

  get size(): number {
    return this.liveCount;
  }

  /** Bytes of lines held. */
  get bytes(): number {
    return this.liveBytes;
  }

  /** Whether entry `seq` is still held. */
  has(seq: number): boolean {
    return seq >= 0 && this.seqAt[seq % this.capacity] === seq;
  }

  /**
   * Stores a line (without its newline), as text or as its UTF-8 bytes (the
   * listener hands over the bytes it writes to the file, encoded once); returns
   * its seq. Evicts the oldest entries as needed.
   */
  push(line: string | Uint8Array): number {
    const seq = this.nextSeq++;
    const slot = seq % this.capacity;
    if (this.seqAt[slot] >= 0) {
      this.release(slot);
    }
    this.store(slot, line);
    this.seqAt[slot] = seq;
    this.liveCount++;
    while (this.liveBytes > this.maxBytes && this.liveCount > 1) {
      this.evictOldest();
    }
    return seq;
  }

  private store(slot: number, line: string | Uint8Array): void {
    const length = typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.length;
    let slab = this.slabs.get(this.current);
    if (!slab || slab.used + length > slab.buffer.length) {
      const buffer = length <= slabSize && this.spare.length > 0 ? this.spare.pop()! : Buffer.allocUnsafeSlow(Math.max(slabSize, length));
      slab = { buffer, used: 0, live: 0 };
      this.current = this.nextSlabId++;
      this.slabs.set(this.current, slab);
    }
    if (typeof line === 'string') {
      slab.buffer.write(line, slab.used, length, 'utf8');
    } else {
      slab.buffer.set(line, slab.used);
    }
    this.slabOf[slot] = this.current;
    this.offsetOf[slot] = slab.used;
    this.lengthOf[slot] = length;
    slab.used += length;
    slab.live++;
    this.liveBytes += length;
  }

  /** Frees a slot's bytes (its slab goes once nothing in it is live). */
  private release(slot: number): void {
    const id = this.slabOf[slot];
    const slab = this.slabs.get(id);
    this.seqAt[slot] = -1;
    this.liveCount--;
    this.liveBytes -= this.lengthOf[slot];
    if (slab && --slab.live === 0 && id !== this.current) {
      this.slabs.delete(id);
      if (slab.buffer.length === slabSize && this.spare.length < 2) {
        this.spare.push(slab.buffer);
      }
    }
  }

  private evictOldest(): void {
    for (; this.oldest < this.nextSeq; this.oldest++) {
      if (this.has(this.oldest)) {
        this.release(this.oldest % this.capacity);
        this.oldest++;
        return;
      }
    }
  }

  /** The line of entry `seq`, if still held. */
  line(seq: number): string | undefined {
    if (!this.has(seq)) {
      return undefined;
    }
    const slot = seq % this.capacity;
    const slab = this.slabs.get(this.slabOf[slot])!;
    const start = this.offsetOf[slot];
    return slab.buffer.toString('utf8', start, start + this.lengthOf[slot]);
  }

  /** Replaces entry `seq`'s line (an annotation changed it). */
  replace(seq: number, line: string): void {
    if (!this.has(seq)) {
      return;
    }
    const slot = seq % this.capacity;
    this.release(slot);
    this.store(slot, line);
    this.seqAt[slot] = seq;
    this.liveCount++;
  }

  delete(seq: number): boolean {
    if (!this.has(seq)) {
      return false;
    }
    this.release(seq % this.capacity);
    return true;
  }

  clear(): void {
    for (let seq = Math.max(this.oldest, this.nextSeq - this.capacity); seq < this.nextSeq; seq++) {
      this.delete(seq);
    }
    this.oldest = this.nextSeq;
  }

  /** Seqs of the held entries, oldest first. */
  seqs(): number[] {
    const out: number[] = [];
    const from = Math.max(this.oldest, this.nextSeq - this.capacity);
    for (let seq = from; seq < this.nextSeq; seq++) {
      if (this.has(seq)) {
        out.push(seq);
      }
    }
    return out;
  }

  /**
   * The seq of the entry whose record has this id. Records start with
   * `{"id":"…"` (the listener writes the id first), so the bytes are compared
   * in place, newest first; other lines are parsed.
   */
  find(id: string): number | undefined {
    const needle = Buffer.from(`${idPrefix}${id}"`, 'utf8');
    const from = Math.max(this.oldest, this.nextSeq - this.capacity);
    for (let seq = this.nextSeq - 1; seq >= from; seq--) {
      if (!this.has(seq)) {
        continue;
      }
      const slot = seq % this.capacity;
      const slab = this.slabs.get(this.slabOf[slot])!;
      const start = this.offsetOf[slot];
      if (slab.buffer.compare(needle, 0, needle.length, start, start + Math.min(needle.length, this.lengthOf[slot])) === 0) {
        return seq;
      }
      if (slab.buffer.compare(idPrefixBytes, 0, idPrefixBytes.length, start, start + idPrefixBytes.length) !== 0) {
        try {
          if ((JSON.parse(this.line(seq)!) as { id?: unknown }).id === id) {
            return seq;
          }
        } catch {
          // Not JSON: not this one.
        }
      }
    }
    return undefined;
  }
}
