import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { bareHost, resolveChecked, type LookupFunction } from '../http/hops';
import { ChunkedDecoder } from './chunked';
import { nodeGet } from './nodeGet';


/**
 * How a GET goes over the wire:
 * - `socket`: HTTP/1.1 over `net`/`tls` reading into one reused buffer, so a
 *   large body allocates nothing per read and the garbage collector stays idle.
 *   The default, in the CLI and in the extension when no proxy is configured.
 * - `node`: `node:http`/`node:https`, which VS Code's proxy and certificate
 *   support hook into; the extension uses it when a proxy is configured.
 *
 * Why a hand-written client at all, against the house rule of libraries over
 * hand-rolled parsers: the fetch issue sets measured targets (1 GiB over
 * loopback, curl/ours >= 0.9, peak RSS < 100 MB), and the libraries cannot meet
 * them. Measured in one run, 2026-11-25, same machine: this client 0.68 and
 * 63 MB; undici@7 0.38 and 137 MB (a fresh 64 KiB buffer per socket read,
 * copied into llhttp's wasm memory, +1.1 MB bundle); node:http 0.41 and 110 MB.
 * So the parser is kept small (status line, headers, Content-Length or chunked
 * framing, nothing else) and every behaviour is tested on both transports
 * against a fault-injecting server (test/unit/core/download/downloader.test.ts).
 */
export type HttpTransport = 'socket' | 'node';

/** Receivers of a body: views valid only during the call, then one end. */
export interface BodyHandlers {
  onData: (chunk: Buffer) => void;
  onEnd: (complete: boolean, error?: Error) => void;
}

/** The status and headers of an answer; its body is read with {@link GetResponse.start}. */
export interface GetResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /**
   * Starts the body. `onData` gets views that are valid only during the call
   * (copy what you keep); `onEnd` comes once, with `complete` false when the
   * connection ended before the framing (Content-Length / chunked) said the
   * body was over.
   */
  start(handlers: BodyHandlers): void;
  pause(): void;
  resume(): void;
  /** Drops the connection; `onEnd` (if started) reports an incomplete body. */
  destroy(): void;
}

export interface GetOptions {
  headers: Record<string, string>;
  transport: HttpTransport;
  signal?: AbortSignal;
  /** Drop the connection when nothing arrives for this long. */
  idleTimeoutMs: number;
  /** Resolves host names (checked against the hop policy either way); default the system resolver. */
  lookup?: LookupFunction;
  /** Extra trusted CA certificates (PEM), e.g. a company's or a test server's. */
  ca?: string | Buffer;
}

const maxHeadBytes = 64 * 1024;
/** One socket read at most: also the largest view handed to onData. */
const readBufferBytes = 1024 * 1024;

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/** Sends a GET and resolves once the status and headers are in. Connection failures reject. */
export function httpGet(url: URL, options: GetOptions): Promise<GetResponse> {
  return options.transport === 'node' ? nodeGet(url, options) : socketGet(url, options);
}

interface Head {
  status: number;
  headers: Record<string, string>;
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] ([1-5]\d\d)/.exec(lines[0]);
  if (!m) {
    throw new Error('the server did not answer with HTTP/1.1');
  }
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] !== undefined ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(m[1]), headers };
}

async function socketGet(url: URL, options: GetOptions): Promise<GetResponse> {
  if (options.signal?.aborted) {
    throw abortError();
  }
  const host = bareHost(url);
  // Resolved here, checked, and connected to by address: a name cannot be re-resolved somewhere else.
  const [{ address }] = await resolveChecked(host, options.lookup);
  return socketGetFrom(url, host, address, options);
}

function socketGetFrom(url: URL, host: string, address: string, options: GetOptions): Promise<GetResponse> {
  return new Promise<GetResponse>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError());
      return;
    }
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);

    type Framing = { kind: 'length'; left: number } | { kind: 'chunked'; decoder: ChunkedDecoder } | { kind: 'close' } | { kind: 'none' };
    let head: Buffer | undefined = Buffer.alloc(0);
    let response: GetResponse | undefined;
    let handlers: BodyHandlers | undefined;
    let framing: Framing = { kind: 'close' };
    /** Body bytes read before start() (the socket is paused after the head, but one read may be in flight). */
    let early: Buffer | undefined;
    /** Set when the connection ended before start(). */
    let endedEarly: { error?: Error } | undefined;
    let ended = false;

    const framingComplete = (): boolean =>
      framing.kind === 'length' ? framing.left === 0 : framing.kind === 'chunked' ? framing.decoder.done : true;

    const end = (complete: boolean, error?: Error) => {
      if (ended) {
        return;
      }
      ended = true;
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      handlers?.onEnd(complete, error);
    };

    /** The socket closed, failed, timed out, or the caller gave up. */
    const connectionEnded = (error?: Error) => {
      if (ended || endedEarly) {
        return;
      }
      if (!response) {
        ended = true;
        options.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(error ?? new Error('the connection closed before an answer arrived'));
      } else if (!handlers) {
        endedEarly = { error };
        socket.destroy();
      } else {
        end(!error && framingComplete(), error);
      }
    };

    const deliver = (buf: Buffer, start: number, stop: number) => {
      if (!handlers) {
        early = Buffer.concat([early ?? Buffer.alloc(0), buf.subarray(start, stop)]);
        return;
      }
      try {
        if (framing.kind === 'length') {
          const n = Math.min(stop - start, framing.left);
          framing.left -= n;
          if (n > 0) {
            handlers.onData(buf.subarray(start, start + n));
          }
        } else if (framing.kind === 'chunked') {
          framing.decoder.push(buf, start, stop, handlers.onData);
        } else if (framing.kind === 'close') {
          handlers.onData(buf.subarray(start, stop));
        }
      } catch (err) {
        end(false, err as Error);
        return;
      }
      if (framing.kind !== 'close' && framingComplete()) {
        end(true);
      }
    };

    const onRead = (n: number, buf: Buffer): boolean => {
      if (ended) {
        return false;
      }
      if (!head) {
        deliver(buf, 0, n);
        return true;
      }
      head = Buffer.concat([head, buf.subarray(0, n)]);
      let parsed: Head;
      let rest: Buffer;
      // Interim answers (100 Continue, 103 Early Hints) can arrive in the same read as the final one.
      for (;;) {
        const endOfHead = head.indexOf('\r\n\r\n');
        if (endOfHead === -1) {
          if (head.length > maxHeadBytes) {
            connectionEnded(new Error('the answer headers are too large'));
          }
          return true;
        }
        try {
          parsed = parseHead(head.toString('latin1', 0, endOfHead));
        } catch (err) {
          connectionEnded(err as Error);
          return false;
        }
        rest = head.subarray(endOfHead + 4);
        if (parsed.status >= 200) {
          break;
        }
        head = Buffer.from(rest);
      }
      head = undefined;
      const length = parsed.headers['content-length'];
      if (parsed.status === 204 || parsed.status === 304) {
        framing = { kind: 'none' };
      } else if (/\bchunked\b/i.test(parsed.headers['transfer-encoding'] ?? '')) {
        framing = { kind: 'chunked', decoder: new ChunkedDecoder() };
      } else if (length !== undefined && /^\d+$/.test(length)) {
        framing = { kind: 'length', left: Number(length) };
      }
      socket.pause();
      early = rest.length > 0 ? Buffer.from(rest) : undefined;
      response = {
        ...parsed,
        start(h) {
          handlers = h;
          const first = early;
          early = undefined;
          if (first) {
            deliver(first, 0, first.length);
          }
          if (ended) {
            return;
          }
          if (framing.kind !== 'close' && framingComplete()) {
            end(true);
          } else if (endedEarly) {
            end(!endedEarly.error && framingComplete(), endedEarly.error);
          } else {
            socket.resume();
          }
        },
        pause: () => socket.pause(),
        resume: () => {
          if (!ended) {
            socket.resume();
          }
        },
        destroy: () => connectionEnded(new Error('the download stopped reading')),
      };
      resolve(response);
      return true;
    };

    const onread = { buffer: Buffer.allocUnsafe(readBufferBytes), callback: onRead };
    const socket: Socket = secure
      ? // Node's tls.connect honours onread like net.connect (@types/node does not list it).
        tlsConnect({ host: address, port, servername: isIP(host) ? undefined : host, ca: options.ca, ALPNProtocols: ['http/1.1'], onread } as ConnectionOptions)
      : netConnect({ host: address, port, onread });
    socket.setTimeout(options.idleTimeoutMs, () => connectionEnded(Object.assign(new Error('no data for too long'), { code: 'ETIMEDOUT' })));
    socket.on('error', (err) => connectionEnded(err));
    socket.on('close', () => connectionEnded());
    const onAbort = () => connectionEnded(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
    for (const [name, value] of Object.entries(options.headers)) {
      lines.push(`${name}: ${value}`);
    }
    socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  });
}
