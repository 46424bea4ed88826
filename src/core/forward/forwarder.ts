import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { httpRequest, HttpRequestError } from '../http';
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
  /** The first 64 KiB of the app's answer body (`size`: the bytes kept; `truncated`: there were more). */
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
export async function forwardOnce(request: ForwardableRequest, target: string, options: ForwardOptions = {}): Promise<ForwardResult> {
  const started = performance.now();
  const url = new URL(target);
  const size = Buffer.isBuffer(request.body) ? request.body.length : request.body.size;
  const raw = forwardHeaders(request.rawHeaders, request, size);
  // Repeated headers travel joined with ", ", which HTTP defines as the same thing.
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    headers[name] = headers[name] === undefined ? raw[i + 1] : `${headers[name]}, ${raw[i + 1]}`;
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const record = (fields: Partial<AppAnswer>): AppAnswer => ({
    target,
    at: new Date().toISOString(),
    attempts: 1,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    ...fields,
  });
  const relay = options.relayLimit !== undefined;
  try {
    const answer = await httpRequest(url, {
      method: request.method,
      headers,
      body: Buffer.isBuffer(request.body) ? request.body : createReadStream(request.body.file),
      timeoutMs,
      maxBytes: options.relayLimit ?? recordedAnswerBytes,
      overflow: relay ? 'fail' : 'truncate',
      signal: options.signal,
    });
    const recorded = answer.body.subarray(0, recordedAnswerBytes);
    const text = isUtf8(recorded) ? { text: recorded.toString('utf8') } : { base64: recorded.toString('base64') };
    return {
      answer: record({
        status: answer.status,
        headers: answer.headers,
        body: { size: answer.body.length, ...text, truncated: answer.truncated || answer.body.length > recorded.length },
      }),
      ...(relay ? { relayBody: answer.body } : {}),
    };
  } catch (err) {
    const failure = err instanceof HttpRequestError ? err : new HttpRequestError((err as Error).message, 'network');
    const kind: NonNullable<AppAnswer['error']> =
      failure.failure === 'timeout' ? 'timeout' : failure.code === 'ECONNREFUSED' ? 'refused' : failure.code === 'ECONNRESET' || failure.code === 'EPIPE' ? 'reset' : 'error';
    return { answer: record({ error: kind, errorMessage: describeError(kind, url, timeoutMs, failure) }) };
  }
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
