import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { forwardHeaders, type ForwardOrigin } from './forwardRequest';

/** The app's answer to a forwarded event, as stored with the event and shown in the tree (`→ 201 · 12 ms`, `→ refused`). */
export interface AppAnswer {
  /** Where the event was sent. */
  target: string;
  /** ISO time of the last attempt. */
  at: string;
  /** Attempts made (more than one when the app was down and forwarding retried). */
  attempts: number;
  /** Milliseconds from sending to the end of the app's answer (or the error), last attempt. */
  durationMs: number;
  status?: number;
  /** The app's answer headers, names in lower case. */
  headers?: Record<string, string>;
  /** The first 64 KiB of the app's answer body. */
  body?: { size: number; text?: string; base64?: string; truncated: boolean };
  /** No answer: `refused` (nothing listening), `timeout`, `reset` (the connection dropped), `error`. */
  error?: 'refused' | 'timeout' | 'reset' | 'error';
  /** The error in words, with what to do. */
  errorMessage?: string;
}

/** A received request to pass on: its body in memory, or in the received file. */
export interface ForwardableRequest extends ForwardOrigin {
  method: string;
  /** The request's header list as received (Node's `rawHeaders`), values not redacted. */
  rawHeaders: readonly string[];
  body: Buffer | { file: string; size: number };
}

export interface ForwardOptions {
  timeoutMs?: number;
  /**
   * Keep the app's whole answer body (up to this many bytes) to pass it on to
   * the provider (proxy mode); a larger answer is an error. Unset: only the
   * first 64 KiB are kept, for the record.
   */
  relayLimit?: number;
  signal?: AbortSignal;
}

/** One forward: the record, and in proxy mode the whole answer body. */
export interface ForwardResult {
  answer: AppAnswer;
  relayBody?: Buffer;
}

/** How much of the app's answer body is stored with the event. */
export const recordedAnswerBytes = 64 * 1024;
const defaultTimeoutMs = 30_000;

/** Sends the request once to `target` and records what the app answered (never rejects). */
export function forwardOnce(request: ForwardableRequest, target: string, options: ForwardOptions = {}): Promise<ForwardResult> {
  const started = performance.now();
  const url = new URL(target);
  const size = Buffer.isBuffer(request.body) ? request.body.length : request.body.size;
  // A raw header list gets no Host from Node: the new hop names its own.
  const headers = ['Host', url.host, ...forwardHeaders(request.rawHeaders, request, size)];
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const record = (fields: Partial<AppAnswer>): AppAnswer => ({
    target,
    at: new Date().toISOString(),
    attempts: 1,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    ...fields,
  });
  return new Promise<ForwardResult>((resolve) => {
    let settled = false;
    const fail = (err: NodeJS.ErrnoException, timedOut = false): void => {
      if (!settled) {
        settled = true;
        const kind = timedOut ? 'timeout' : err.code === 'ECONNREFUSED' ? 'refused' : err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'error';
        resolve({ answer: record({ error: kind, errorMessage: describeError(kind, url, timeoutMs, err) }) });
      }
    };
    const req = client.request(url, { method: request.method, headers, timeout: timeoutMs, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      const keep = options.relayLimit ?? recordedAnswerBytes;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (kept < keep) {
          const part = chunk.subarray(0, keep - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (options.relayLimit !== undefined && total > options.relayLimit) {
          fail(new Error(`the app's answer is larger than ${options.relayLimit} bytes`));
          res.destroy();
        }
      });
      res.on('error', (err) => fail(err));
      res.on('aborted', () => fail(Object.assign(new Error('the app dropped the connection while answering'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        if (settled) {
          return;
        }
        settled = true;
        const whole = Buffer.concat(chunks);
        const recorded = whole.subarray(0, recordedAnswerBytes);
        const answerHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) {
            answerHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
          }
        }
        const text = isUtf8(recorded) ? { text: recorded.toString('utf8') } : { base64: recorded.toString('base64') };
        resolve({
          answer: record({
            status: res.statusCode ?? 0,
            headers: answerHeaders,
            body: { size: total, ...text, truncated: total > recorded.length },
          }),
          ...(options.relayLimit !== undefined ? { relayBody: whole } : {}),
        });
      });
    });
    req.on('timeout', () => {
      fail(new Error('timeout'), true);
      req.destroy();
    });
    req.on('error', (err) => fail(err));
    if (Buffer.isBuffer(request.body)) {
      req.end(request.body);
    } else {
      const file = createReadStream(request.body.file);
      file.on('error', (err) => req.destroy(new Error(`the received file cannot be read: ${err.message}`)));
      file.pipe(req);
    }
  });
}

/** Waits between attempts while the app is down: about half a minute in all, long enough to restart a dev server. */
export const defaultRetryDelaysMs: readonly number[] = [1000, 2000, 4000, 8000, 16000];

/**
 * Forwards with retries while nothing listens at the target (connection
 * refused): the event then reaches an app that is being restarted. Other
 * failures are not retried, since the app may have acted on the request.
 */
export async function forwardWithRetries(
  request: ForwardableRequest,
  target: string,
  options: ForwardOptions & { retryDelaysMs?: readonly number[]; onRetry?: (answer: AppAnswer, delayMs: number) => void } = {},
): Promise<ForwardResult> {
  const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  let attempts = 0;
  for (;;) {
    const result = await forwardOnce(request, target, options);
    attempts++;
    result.answer.attempts = attempts;
    const delay = delays[attempts - 1];
    if (result.answer.error !== 'refused' || delay === undefined || options.signal?.aborted) {
      return result;
    }
    options.onRetry?.(result.answer, delay);
    const waited = await wait(delay, options.signal);
    if (!waited) {
      return result;
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeError(kind: NonNullable<AppAnswer['error']>, url: URL, timeoutMs: number, err: Error): string {
  switch (kind) {
    case 'refused':
      return `Nothing is listening at ${url.host} (connection refused): start your app, or check the forward-to URL.`;
    case 'timeout':
      return `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s.`;
    case 'reset':
      return `${url.host} closed the connection without a complete answer.`;
    default:
      return `Could not forward to ${url.host}: ${err.message}`;
  }
}

/** The app's answer in a few words: `201 · 12 ms`, `refused`, `timeout`. */
export function appAnswerSummary(answer: AppAnswer): string {
  if (answer.status === undefined) {
    return answer.error ?? 'error';
  }
  const ms = answer.durationMs < 10 ? answer.durationMs.toFixed(1) : String(Math.round(answer.durationMs));
  return `${answer.status} · ${ms} ms`;
}
