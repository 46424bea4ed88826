import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { BodySink } from './receivedFile';
import { redactRawHeaders } from '../redact';
import type { WebhookEvent } from './webhookEvent';

/** What a request being received reports back to the listener that owns it. */
export interface IntakeOwner {
  /** Where this request's body goes when it is written to a file. */
  receivedFilePath(pending: PendingRequest): string;
  /** The body is complete (in memory, or in its file). */
  finish(pending: PendingRequest): void;
  /** The body passed the limit while it arrived. */
  overLimit(pending: PendingRequest): void;
  /** The received file could not be created, or failed while the body arrived: answer 5xx now. */
  spillFailed(pending: PendingRequest, err: Error, received: number): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** How slowly a body may arrive before the listener gives up on it (see {@link bodyTooSlow}). */
export interface BodyPace {
  /** Least average rate, bytes per second, once `graceMs` has passed. */
  minBytesPerSecond: number;
  graceMs: number;
  /** JSON/text bodies (held in memory) must be complete within this. */
  inlineTimeoutMs: number;
}

/**
 * Why a body still arriving should be cut (408), or undefined: below the
 * minimum average rate after the grace period, or an in-memory body that is
 * taking longer than an event ever needs. Decided from numbers alone.
 */
export function bodyTooSlow(body: { startedAt: number; bytes: number; inline: boolean }, now: number, pace: BodyPace): string | undefined {
  const elapsed = now - body.startedAt;
  if (body.inline && elapsed > pace.inlineTimeoutMs) {
    return `the body was not complete after ${pace.inlineTimeoutMs} ms`;
  }
  if (elapsed > pace.graceMs && (body.bytes * 1000) / elapsed < pace.minBytesPerSecond) {
    return `the body arrived at less than ${pace.minBytesPerSecond} bytes per second`;
  }
  return undefined;
}

/** A request a browser sent on a web page's behalf (providers send neither header): marked, never auto-fetched. */
function markIfFromBrowserPage(event: WebhookEvent): WebhookEvent {
  const origin = event.headers.origin ?? event.headers['sec-fetch-site'];
  if (origin !== undefined) {
    event.browserOrigin = origin;
    event.warnings = [`Sent by a web page open in a browser (${origin}), not by a provider: stored and shown, never auto-fetched.`];
  }
  return event;
}

let lastIsoMs = -1;
let lastIso = '';

/** `new Date(ms).toISOString()`, kept for the last millisecond asked: under load tens of requests arrive within one. */
function isoTime(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

const kPending = Symbol('s3Hooks.pendingRequest');
type RequestWithState = http.IncomingMessage & { [kPending]?: PendingRequest };

// Shared by every request (no closures per request): `this` is the request.
function onRequestData(this: RequestWithState, chunk: Buffer): void {
  this[kPending]?.data(chunk);
}
function onRequestEnd(this: RequestWithState): void {
  this[kPending]?.end();
}

/**
 * The request's response closed (answered, or the connection went away, also
 * mid-body): called by the listener's one 'close' handler on the response, so
 * that a request needs no 'close' listener of its own.
 */
export function requestClosed(req: http.IncomingMessage): void {
  (req as RequestWithState)[kPending]?.close();
}

/** One request whose body is being received: in memory, or streamed to a file when large or not JSON/text. */
export class PendingRequest {
  readonly id = randomUUID();
  readonly receivedAt = Date.now();
  readonly rawUrl: string;
  readonly path: string;
  readonly query: string;
  readonly contentType: string | undefined;
  readonly declared: number | undefined;
  /** Request headers, names in lower case, credential-like values redacted. */
  readonly headers: Record<string, string>;
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  /** The listener paused the request itself (its received file is catching up): not the client's slowness. */
  private heldBack = false;
  sink: BodySink | undefined;
  /** When the body has arrived: the time its answer is due by (the listener's backstop). */
  answerBy = 0;
  /** Where the listener's {@link RequestWatch} holds this request (-1: not watched). */
  watchSlot = -1;

  constructor(
    private readonly owner: IntakeOwner,
    readonly req: http.IncomingMessage,
    readonly res: http.ServerResponse,
    readonly bodyLimit: number,
    readonly inlineLimit: number,
  ) {
    const rawUrl = req.url ?? '/';
    this.rawUrl = rawUrl;
    const q = rawUrl.indexOf('?');
    this.path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    this.query = q === -1 ? '' : rawUrl.slice(q + 1);
    // Built once from rawHeaders, already redacted; Node's own req.headers object is never needed.
    const headers = redactRawHeaders(req.rawHeaders);
    this.headers = headers;
    this.contentType = headers['content-type'];
    const length = headers['content-length'];
    this.declared = length !== undefined ? Number(length) : undefined;
  }

  /** Starts receiving the body: the request's events are routed to this object. */
  listen(): void {
    const req = this.req as RequestWithState;
    req[kPending] = this;
    // `on`, not `once`: each handler already acts at most once, and `once` wraps each in two objects per request.
    // No 'error' listener: Node emits a request's error only to listeners, and a client that goes away closes
    // the response, whose handler calls requestClosed. Every listener added here is paid on every request.
    req.on('data', onRequestData);
    req.on('end', onRequestEnd);
  }

  /** The event record as far as the request line and headers tell; the answer policy fills in the rest. */
  event(): WebhookEvent {
    const req = this.req;
    return markIfFromBrowserPage({
      id: this.id,
      receivedAt: isoTime(this.receivedAt),
      method: req.method ?? 'GET',
      path: this.path,
      query: this.query,
      headers: this.headers,
      remoteAddress: req.socket.remoteAddress,
      body: { size: 0 },
      kind: 'unknown',
      label: '',
      status: 0,
    });
  }

  /** The request as received (headers not redacted), to forward it to the app under test or check its signature. */
  forwardable(body: Buffer | { file: string; size: number }): { method: string; rawHeaders: string[]; body: Buffer | { file: string; size: number }; remoteAddress?: string } {
    return { method: this.req.method ?? 'GET', rawHeaders: this.req.rawHeaders, body, remoteAddress: this.req.socket.remoteAddress };
  }

  /** Starts writing the body to a received file; false (the owner was told) when the file cannot be created. */
  spill(): boolean {
    const sink = new BodySink(
      (paused) => {
        this.heldBack = paused;
        if (paused) {
          this.req.pause();
        } else {
          this.req.resume();
        }
      },
      (err) => this.sinkFailed(err),
    );
    try {
      sink.spill(this.owner.receivedFilePath(this));
    } catch (err) {
      this.done = true;
      this.owner.spillFailed(this, err as Error, this.size);
      return false;
    }
    for (const chunk of this.chunks) {
      sink.push(chunk);
    }
    this.chunks = [];
    this.sink = sink;
    return true;
  }

  /** The file failed while the body was arriving: read and drop the rest, and let the owner answer now. */
  private sinkFailed(err: Error): void {
    if (this.done) {
      return;
    }
    this.done = true;
    this.req.resume();
    this.owner.spillFailed(this, err, this.sink?.size ?? this.size);
  }

  /** The body is complete, refused or abandoned. */
  get finished(): boolean {
    return this.done;
  }

  /** Paused by the listener (its received file is catching up): slowness that is ours, not the client's. */
  get waitingOnDisk(): boolean {
    return this.heldBack;
  }

  /** The body so far, for {@link bodyTooSlow}. */
  get progress(): { startedAt: number; bytes: number; inline: boolean } {
    return { startedAt: this.receivedAt, bytes: this.sink ? this.sink.size : this.size, inline: !this.sink };
  }

  /** Gives up on the body (it arrived too slowly): nothing of it is kept. */
  abandon(): void {
    if (!this.done) {
      this.done = true;
      this.sink?.discard();
      this.chunks = [];
      this.req.resume();
    }
  }

  data(chunk: Buffer): void {
    if (this.done) {
      return;
    }
    const size = (this.sink ? this.sink.size : this.size) + chunk.length;
    if (size > this.bodyLimit) {
      this.done = true;
      this.sink?.discard();
      this.chunks = [];
      this.owner.overLimit(this);
      return;
    }
    if (!this.sink && size > this.inlineLimit && !this.spill()) {
      return;
    }
    if (this.sink) {
      this.sink.push(chunk);
    } else {
      this.chunks.push(chunk);
      this.size = size;
    }
  }

  body(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
  }

  end(): void {
    if (!this.done) {
      this.done = true;
      this.owner.finish(this);
    }
  }

  close(): void {
    (this.req as RequestWithState)[kPending] = undefined;
    if (!this.req.complete && !this.done) {
      this.done = true;
      const received = this.sink ? this.sink.size : this.size;
      this.sink?.discard();
      this.chunks = [];
      this.owner.log('warn', `${this.req.method ?? ''} ${this.path}: the client disconnected after ${received} bytes; nothing was stored`);
    }
  }
}
