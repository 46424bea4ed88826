/** Decodes `Transfer-Encoding: chunked` incrementally, handing out views of the input. */
export class ChunkedDecoder {
  private state: 'size' | 'data' | 'dataEnd' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds bytes; calls `onData` with the payload parts. Throws on malformed framing. */
  push(buf: Buffer, start: number, end: number, onData: (chunk: Buffer) => void): void {
    let i = start;
    while (i < end && this.state !== 'done') {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, end - i);
        onData(buf.subarray(i, i + n));
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          this.state = 'dataEnd';
        }
        continue;
      }
      const nl = buf.indexOf(10, i);
      const stop = nl === -1 || nl >= end ? end : nl;
      this.line += buf.toString('latin1', i, stop);
      if (this.line.length > 4096) {
        throw new Error('malformed chunked body (a size line is too long)');
      }
      i = stop;
      if (nl === -1 || nl >= end) {
        break;
      }
      i++; // past \n
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      if (this.state === 'size') {
        const size = parseInt(line.split(';')[0].trim(), 16);
        if (!Number.isFinite(size) || size < 0 || !/^[0-9a-f]+$/i.test(line.split(';')[0].trim())) {
          throw new Error('malformed chunked body (bad chunk size)');
        }
        this.remaining = size;
        this.state = size === 0 ? 'trailer' : 'data';
      } else if (this.state === 'dataEnd') {
        if (line !== '') {
          throw new Error('malformed chunked body (no line break after a chunk)');
        }
        this.state = 'size';
      } else if (this.state === 'trailer' && line === '') {
        this.state = 'done';
      }
    }
  }
}
