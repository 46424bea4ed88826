import { createReadStream } from 'node:fs';
import { httpRequest, type HttpAnswer, type HttpRequestError } from '../http';
import { redactedMark } from '../redact';
import { inlineBody, type WebhookEvent } from './webhookEvent';

/** Headers that describe one hop or one body encoding; a replay sets its own. */
const hopHeaders = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);

/** Header added to a replayed request, naming the event it repeats. */
export const replayHeader = 'x-s3-hooks-replay-of';

/** The headers a replay or a curl command sends: the original ones minus hop-by-hop and redacted values. */
export function replayableHeaders(event: WebhookEvent): { headers: Record<string, string>; omitted: string[] } {
  const headers: Record<string, string> = {};
  const omitted: string[] = [];
  for (const [name, value] of Object.entries(event.headers)) {
    if (hopHeaders.has(name) || name === replayHeader) {
      continue;
    }
    if (value === redactedMark) {
      omitted.push(name);
      continue;
    }
    headers[name] = value;
  }
  return { headers, omitted };
}

/** What the handler answered to a replay. */
export interface ReplayResult {
  status: number;
  headers: Record<string, string>;
  /** The answer body as text, at most 64 KiB. */
  body: string;
  truncated: boolean;
  durationMs: number;
  /** Headers not sent because their values were redacted when the event was stored. */
  omittedHeaders: string[];
}

const maxAnswerBytes = 64 * 1024;

/**
 * Sends an event again: same method, headers (except hop-by-hop ones and
 * values that were redacted) and body, to `target` (the listener itself or a
 * handler under development). Adds `x-s3-hooks-replay-of: <id>`.
 */
export async function replayEvent(event: WebhookEvent, target: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ReplayResult> {
  if (event.body.dropped) {
    throw new Error('This event has no body to replay: it was over the size limit and was not kept.');
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`${target} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${target} is not an http(s) URL.`);
  }
  const { headers, omitted } = replayableHeaders(event);
  headers[replayHeader] = event.id;
  const body = inlineBody(event);
  if (body) {
    headers['content-length'] = String(body.length);
  } else if (event.body.file) {
    headers['content-length'] = String(event.body.size);
  } else {
    headers['content-length'] = '0';
  }
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let payload: Uint8Array | NodeJS.ReadableStream | undefined = body;
  let fileError: Error | undefined;
  if (!body && event.body.file) {
    payload = createReadStream(event.body.file).on('error', (err) => (fileError = err));
  }
  let answer: HttpAnswer;
  try {
    answer = await httpRequest(url, { method: event.method, headers, body: payload, timeoutMs, signal: options.signal, maxBytes: maxAnswerBytes, overflow: 'truncate' });
  } catch (err) {
    const e = err as HttpRequestError;
    if (fileError) {
      throw new Error(`The received file ${event.body.file} cannot be read: ${fileError.message}`, { cause: err });
    }
    throw e.code === 'ECONNREFUSED'
      ? new Error(`Nothing is listening at ${url.host} (connection refused).`, { cause: e })
      : e.failure === 'timeout'
        ? new Error(`${url.host} did not answer within ${timeoutMs} ms`, { cause: e })
        : e;
  }
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.body.toString('utf8'),
    truncated: answer.truncated,
    durationMs: performance.now() - started,
    omittedHeaders: omitted,
  };
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_\-./:=@%+,]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that repeats the event against `target`. Redacted headers are
 * left out (with a comment saying so); a binary inline body is piped through
 * `base64 -d`; a received file is sent with `--data-binary @file`.
 */
export function curlCommand(event: WebhookEvent, target: string): string {
  const { headers, omitted } = replayableHeaders(event);
  const parts = ['curl', '-sS', '-i', '-X', event.method, shellQuote(target)];
  for (const [name, value] of Object.entries(headers)) {
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  let prefix = '';
  if (event.body.text !== undefined && event.body.size > 0) {
    parts.push('--data-binary', shellQuote(event.body.text));
  } else if (event.body.base64 !== undefined) {
    prefix = `printf %s ${shellQuote(event.body.base64)} | base64 -d | `;
    parts.push('--data-binary', '@-');
  } else if (event.body.file) {
    parts.push('--data-binary', shellQuote(`@${event.body.file}`));
  }
  const note = omitted.length > 0 ? `# left out (redacted when stored): ${omitted.join(', ')}\n` : '';
  return `${note}${prefix}${parts.join(' ')}`;
}

/** A file name for saving an event's body as a test fixture: `<kind>-<label>-<time>.<ext>`. */
export function fixtureFileName(event: WebhookEvent): string {
  const slug =
    event.label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'event';
  const time = event.receivedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let ext = '.bin';
  if (event.body.file) {
    ext = /\.[A-Za-z0-9]{1,8}$/.exec(event.body.file)?.[0] ?? '.bin';
  } else if (event.body.text !== undefined) {
    ext = event.kind !== 'malformed' && isJson(event.body.text) ? '.json' : '.txt';
  }
  return `${event.kind}-${slug}-${time}${ext}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Where an event goes back to by default: the same path and query on the listener (`listenerUrl`, e.g. `http://127.0.0.1:8765/`). */
export function listenerReplayTarget(event: WebhookEvent, listenerUrl: string): string {
  return listenerUrl.replace(/\/$/, '') + event.path + (event.query ? `?${event.query}` : '');
}

/** A replay's answer as a readable document: request line, status and time, headers, body, and what was not sent. */
export function replayAnswerText(event: WebhookEvent, redactedTarget: string, result: ReplayResult): string {
  const headers = Object.entries(result.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return (
    `${event.method} ${redactedTarget}\n→ HTTP ${result.status} in ${result.durationMs.toFixed(0)} ms\n\n${headers}` +
    `\n\n${result.body}${result.truncated ? '\n… (cut at 64 KiB)' : ''}\n` +
    (result.omittedHeaders.length ? `\nNot sent (redacted when stored): ${result.omittedHeaders.join(', ')}\n` : '')
  );
}
