import * as http from 'node:http';
import * as https from 'node:https';
import { checkedLookup, checkHop, HopRefusedError, nextHop, type LookupFunction } from './hops';

/**
 * One small HTTP client for the short exchanges S3 Hooks makes besides
 * downloads (an SNS certificate, an SNS SubscribeURL, a test upload, a sample
 * event to the listener, a replay to the user's handler): a deadline for the
 * whole exchange, a cap on the answer's size, and the same hop policy as the
 * downloader ({@link checkHop}: http/https only, no https→http step, a hop
 * limit, never a link-local or metadata address, resolved addresses checked).
 * Over node:http rather than the global fetch: fetch (undici) has no `lookup`
 * to check the resolved address with, and no per-request CA.
 */
export interface HttpRequestOptions {
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  /** A buffer or string is sent as is; a stream is piped (its failure ends the request). */
  body?: Uint8Array | string | NodeJS.ReadableStream;
  /** The whole exchange, from the first connection to the answer's last byte. Default 10 s. */
  timeoutMs?: number;
  /** Most answer bytes kept. Default 1 MiB. */
  maxBytes?: number;
  /** `fail` (default): a larger answer is an error; `truncate`: keep the first `maxBytes`, read the rest away. */
  overflow?: 'fail' | 'truncate';
  /** Redirects followed for GET and HEAD; default 0 (a 3xx answer is returned as it is). */
  maxRedirects?: number;
  /** An extra rule for every hop (e.g. "SNS hosts only"): a reason to refuse, or undefined. */
  refuse?: (url: URL) => string | undefined;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | Buffer;
  signal?: AbortSignal;
  /** Resolves host names (every address is checked); default the system resolver. */
  lookup?: LookupFunction;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** True when the answer was longer than `maxBytes` (with `overflow: 'truncate'`). */
  truncated: boolean;
  /** The URL that answered (after redirects). */
  url: URL;
}

/** Why an exchange failed: `refused` by the hop policy, `timeout`, `tooLarge`, `aborted`, or `network` (see `code`). */
export type HttpFailure = 'refused' | 'timeout' | 'tooLarge' | 'aborted' | 'network';

export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly failure: HttpFailure,
    /** The system error code for `network` failures (ECONNREFUSED, ENOTFOUND…). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/** node:http's header object → one string per lower-case name. */
export function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

function checked(url: URL, previous: URL | undefined, refuse: HttpRequestOptions['refuse']): void {
  try {
    checkHop(url, previous);
  } catch (err) {
    throw new HttpRequestError((err as Error).message, 'refused');
  }
  const reason = refuse?.(url);
  if (reason) {
    throw new HttpRequestError(reason, 'refused');
  }
}

/** Sends one request (following redirects when asked) and reads the whole answer. Failures throw {@link HttpRequestError}. */
export async function httpRequest(target: string | URL, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    throw new HttpRequestError(`${String(target)} is not a URL.`, 'refused');
  }
  checked(url, undefined, options.refuse);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const method = (options.method ?? 'GET').toUpperCase();
  const follows = method === 'GET' || method === 'HEAD' ? (options.maxRedirects ?? 0) : 0;
  for (let redirects = 0; ; ) {
    let answer: HttpAnswer;
    try {
      answer = await exchange(url, method, options, signal);
    } catch (err) {
      if (err instanceof HttpRequestError) {
        throw err;
      }
      if (err instanceof HopRefusedError) {
        throw new HttpRequestError(err.message, 'refused');
      }
      if (deadline.aborted) {
        throw new HttpRequestError(`No answer from ${url.host} within ${timeoutMs} ms.`, 'timeout');
      }
      if (options.signal?.aborted) {
        throw new HttpRequestError('The request was cancelled.', 'aborted');
      }
      const e = err as NodeJS.ErrnoException;
      const message = e.code && !e.message.startsWith(e.code) ? `${e.code}: ${e.message}` : e.message;
      throw new HttpRequestError(message, 'network', e.code);
    }
    const location = answer.headers.location;
    const isRedirect = answer.status >= 300 && answer.status < 400 && answer.status !== 304 && location !== undefined;
    if (!isRedirect || follows === 0) {
      return answer;
    }
    let next: URL;
    try {
      next = nextHop(location, url, ++redirects, follows);
    } catch (err) {
      throw new HttpRequestError((err as Error).message, 'refused');
    }
    checked(next, url, options.refuse);
    url = next;
  }
}

function exchange(url: URL, method: string, options: HttpRequestOptions, signal: AbortSignal): Promise<HttpAnswer> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const client = url.protocol === 'https:' ? https : http;
  const body = options.body;
  const headers = { ...options.headers };
  if ((typeof body === 'string' || body instanceof Uint8Array) && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    // S3 refuses a chunked PUT: a body of known size says its length.
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        headers,
        signal,
        ca: options.ca,
        // The connection goes to the address that was checked.
        lookup: checkedLookup(options.lookup) as unknown as http.RequestOptions['lookup'],
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (kept + chunk.length <= maxBytes) {
            chunks.push(chunk);
            kept += chunk.length;
            return;
          }
          if (options.overflow !== 'truncate') {
            req.destroy(new HttpRequestError(`The answer from ${url.host} is larger than ${maxBytes} bytes.`, 'tooLarge'));
            return;
          }
          if (!truncated) {
            chunks.push(chunk.subarray(0, maxBytes - kept));
            kept = maxBytes;
            truncated = true;
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks), truncated, url }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      req.end(body);
    } else {
      body.on('error', (err: Error) => req.destroy(err));
      body.pipe(req);
    }
  });
}
