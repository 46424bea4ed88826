import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/**
 * How a GET goes over the wire:
 * - `undici`: Node's own fetch engine (llhttp parser), used directly through
 *   `undici.request`. The default, and the CLI's.
 * - `node`: `node:http`/`node:https`, which VS Code's proxy support (system
 *   and PAC proxies, proxy authentication, system certificates) hooks into;
 *   the extension uses it when a proxy is configured. That support does not
 *   reach the copy of undici bundled here.
 */
export type HttpTransport = 'undici' | 'node';

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
  /** Drop the connection when the headers, or the next piece of the body, take longer than this. */
  idleTimeoutMs: number;
}

/** Answers with larger headers are refused (Node's default is 16 KiB). */
const maxHeaderBytes = 64 * 1024;
/** Time allowed to open the connection (TCP + TLS). */
const connectTimeoutMs = 30_000;

let agent: Agent | undefined;

/**
 * One undici dispatcher for every download. Requests ask for `Connection:
 * close` (`reset`), so no idle socket outlives a download and keeps a CLI or
 * the extension host busy.
 */
function undiciAgent(): Agent {
  agent ??= new Agent({ maxHeaderSize: maxHeaderBytes, connectTimeout: connectTimeoutMs });
  return agent;
}

/** Sends a GET and resolves once the status and headers are in. Connection failures reject. */
export function httpGet(url: URL, options: GetOptions): Promise<GetResponse> {
  return options.transport === 'node' ? nodeGet(url, options) : undiciGet(url, options);
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return headers;
}

async function undiciGet(url: URL, options: GetOptions): Promise<GetResponse> {
  const res = await request(url, {
    method: 'GET',
    headers: options.headers,
    signal: options.signal,
    dispatcher: undiciAgent(),
    reset: true,
    headersTimeout: options.idleTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
  });
  // undici ends the body only when the framing says it is over; a dropped connection is an error.
  return readableResponse(res.statusCode, flatHeaders(res.headers), res.body, () => true);
}

function nodeGet(url: URL, options: GetOptions): Promise<GetResponse> {
  return new Promise<GetResponse>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method: 'GET', headers: options.headers, signal: options.signal });
    req.setTimeout(options.idleTimeoutMs, () => req.destroy(Object.assign(new Error('no data for too long'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.on('response', (res) => {
      resolve(readableResponse(res.statusCode ?? 0, flatHeaders(res.headers), res, () => res.complete));
    });
    req.end();
  });
}

/**
 * Adapts a response body stream to {@link GetResponse}. It listens at once, so
 * that a short body that arrives (or a connection that fails) before `start`
 * is neither lost nor an unhandled error: the first chunks are kept and the
 * stream paused until `start`.
 */
function readableResponse(status: number, headers: Record<string, string>, body: Readable, complete: () => boolean): GetResponse {
  let handlers: BodyHandlers | undefined;
  let outcome: { complete: boolean; error?: Error } | undefined;
  /** Whether the reader asked for a pause (start() must not undo it). */
  let paused = false;
  const early: Buffer[] = [];
  const end = (ok: boolean, error?: Error) => {
    if (outcome) {
      return;
    }
    outcome = { complete: ok, error };
    handlers?.onEnd(ok, error);
  };
  body.on('data', (chunk: Buffer) => {
    if (handlers) {
      handlers.onData(chunk);
    } else {
      early.push(chunk);
      body.pause();
    }
  });
  body.on('end', () => end(complete()));
  body.on('error', (err) => end(false, err));
  // A stream destroyed without an error (our destroy()) ends incomplete.
  body.on('close', () => end(false));
  return {
    status,
    headers,
    start(h) {
      handlers = h;
      for (const chunk of early.splice(0)) {
        h.onData(chunk);
      }
      if (outcome) {
        h.onEnd(outcome.complete, outcome.error);
      } else if (!paused) {
        body.resume();
      }
    },
    pause: () => {
      paused = true;
      body.pause();
    },
    resume: () => {
      paused = false;
      body.resume();
    },
    destroy: () => body.destroy(),
  };
}
