import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the fault server does with one request. Faults that no S3 server
 * produces on demand: a dropped connection, a 500, a short body, a trickle.
 * - `ok`: the file (or the asked range, `bytes=N-` or `bytes=N-M`, when ranges are on and If-Match matches);
 * - `status`: that status with an optional body (e.g. an S3 XML error);
 * - `drop`: headers for the whole answer, `afterBytes` bytes of it, then the socket is destroyed;
 * - `short`: `Content-Length` of the whole answer, only `sendBytes` bytes, then the socket ends;
 * - `stall`: `Content-Length` of the whole answer, `afterBytes` bytes, then silence (the socket stays open);
 * - `slow`: the answer in `chunkBytes` pieces every `intervalMs`.
 */
export type Fault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'drop'; afterBytes: number }
  | { kind: 'short'; sendBytes: number }
  | { kind: 'stall'; afterBytes: number }
  | { kind: 'slow'; chunkBytes: number; intervalMs: number };

export interface FaultServerOptions {
  /** The file served. */
  body: Buffer;
  /** ETag header value (quoted); none when undefined. */
  etag?: string;
  /** Honour `Range: bytes=N-` (with `If-Match`, 412 on mismatch). Default true. */
  ranges?: boolean;
  contentDisposition?: string;
  /** Send the body with `Transfer-Encoding: chunked` (no Content-Length). */
  chunked?: boolean;
  /** One fault per request, in order; after the list, `then` (default `ok`). */
  faults?: Fault[];
  then?: Fault;
  /** A fault chosen by the asked range (`bytes=…`, or undefined) and how often that range was asked before; wins over `faults` when it returns one. */
  faultForRange?: (range: string | undefined, seenBefore: number) => Fault | undefined;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A tiny node:http server on 127.0.0.1 that serves one file with scripted faults. Close it in after/afterEach. */
export interface FaultServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path?: string): string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Serves another version of the object from the next request on (a changed object). */
  replace(body: Buffer, etag: string): void;
  close(): Promise<void>;
}

/** `bytes=N-` or `bytes=N-M` → the asked bytes; undefined for anything else. */
function askedRange(header: string | undefined): { start: number; end?: number } | undefined {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  return m ? { start: Number(m[1]), end: m[2] ? Number(m[2]) : undefined } : undefined;
}

/** Starts the fault server. */
export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const current = { body: options.body, etag: options.etag };
  const rangesSeen = new Map<string | undefined, number>();
  const server = http.createServer((req, res) => {
    const index = requests.length;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const seen = rangesSeen.get(req.headers.range) ?? 0;
    rangesSeen.set(req.headers.range, seen + 1);
    const fault = options.faultForRange?.(req.headers.range, seen) ?? options.faults?.[index] ?? options.then ?? { kind: 'ok' };
    if (fault.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers });
      res.end(fault.body ?? '');
      return;
    }
    const { body, etag } = current;
    let start = 0;
    let end = body.length;
    const wanted = options.ranges === false ? undefined : askedRange(req.headers.range);
    if (wanted !== undefined) {
      const ifMatch = req.headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== etag) {
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end('<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');
        return;
      }
      if (wanted.start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        res.end();
        return;
      }
      start = wanted.start;
      end = Math.min(body.length, (wanted.end ?? body.length - 1) + 1);
    }
    const payload = body.subarray(start, end);
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': options.ranges === false ? 'none' : 'bytes',
    };
    if (!options.chunked) {
      headers['content-length'] = payload.length;
    }
    if (etag) {
      headers.etag = etag;
    }
    if (options.contentDisposition) {
      headers['content-disposition'] = options.contentDisposition;
    }
    if (wanted !== undefined) {
      headers['content-range'] = `bytes ${start}-${end - 1}/${body.length}`;
    }
    res.writeHead(wanted !== undefined ? 206 : 200, headers);
    if (fault.kind === 'drop' || fault.kind === 'short') {
      const n = fault.kind === 'drop' ? fault.afterBytes : fault.sendBytes;
      res.write(payload.subarray(0, n), () => {
        if (fault.kind === 'drop') {
          req.socket.destroy();
        } else {
          req.socket.end();
        }
      });
      return;
    }
    if (fault.kind === 'stall') {
      // Never ends: close() destroys the socket.
      res.write(payload.subarray(0, fault.afterBytes));
      return;
    }
    if (fault.kind === 'slow') {
      let offset = 0;
      const tick = () => {
        if (res.destroyed) {
          return;
        }
        const piece = payload.subarray(offset, offset + fault.chunkBytes);
        offset += piece.length;
        if (offset >= payload.length) {
          res.end(piece);
          return;
        }
        res.write(piece);
        const t = setTimeout(() => {
          timers.delete(t);
          tick();
        }, fault.intervalMs);
        timers.add(t);
      };
      tick();
      return;
    }
    res.end(payload);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/file.bin') => `http://127.0.0.1:${port}${path}`,
    requests,
    replace(body, etag) {
      current.body = body;
      current.etag = etag;
    },
    async close() {
      for (const t of timers) {
        clearTimeout(t);
      }
      for (const s of sockets) {
        s.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
