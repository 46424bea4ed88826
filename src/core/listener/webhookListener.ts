import { isUtf8 } from 'node:buffer';
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, unlink, type WriteStream } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, extname, join } from 'node:path';
import sanitize from 'sanitize-filename';
import { confirmationAnswer, confirmationSignature } from '../confirmation/signature';
import { parseEventJson } from '../events';
import { confirmSnsSubscription, verifySnsMessage, type SnsMessage, type SnsVerifyOptions } from '../sns/snsMessage';
import { classifyJson, type Classification } from './classify';
import type { EventHistory } from './eventHistory';
import { redactRawHeaders, type WebhookEvent, type WebhookEventKind } from './webhookEvent';

/** Defaults shared by the VS Code settings and the CLI. */
export const listenerDefaults = {
  host: '127.0.0.1',
  port: 0,
  /** 100 MiB: large enough for a vendor PUT-ting a result file. */
  bodyLimit: 100 * 1024 * 1024,
  /** JSON and text bodies up to this size are kept in the event itself; larger ones go to a file. */
  inlineLimit: 1024 * 1024,
  answerStatus: 200,
  /** Events kept in the history (and in the Webhook Events view); the file is rotated beyond it. */
  historyCap: 5000,
  maxConnections: 256,
  /** A client has this long to send its headers… */
  headersTimeoutMs: 10_000,
  /** …and this long for the whole request (a slow PUT of a large file included). */
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
} as const;

export interface WebhookListenerOptions {
  /** Address to bind; 127.0.0.1 unless the user chose another. */
  host?: string;
  /** Port; 0 = any free port. */
  port?: number;
  /**
   * The URL the provider calls (a tunnel's address), used for VK confirmation
   * signatures. A bare origin (`https://x.trycloudflare.com`) is combined with
   * the request's path; a URL with a path is used exactly as given.
   */
  publicUrl?: string;
  /** Largest body accepted, bytes; beyond it the answer is 413. */
  bodyLimit?: number;
  /** Largest JSON/text body kept inline in the event, bytes. */
  inlineLimit?: number;
  /** Status for events that are not confirmations, malformed or too large (to test a provider's retries). */
  answerStatus?: number;
  /** Where non-JSON and large bodies are written. */
  receivedDir: string;
  history: EventHistory;
  /** SNS signature checking (host rule, CA) — the defaults are for real AWS. */
  sns?: SnsVerifyOptions;
  /** Confirm SNS subscriptions (GET SubscribeURL) as soon as a verified confirmation arrives. */
  snsAutoConfirm?: boolean;
  maxConnections?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Log sink; messages never contain secrets. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Why the listener could not start, with a message that says what to do. */
export class ListenerStartError extends Error {
  constructor(
    message: string,
    /** `EADDRINUSE` (port taken), `EACCES` (privileged port), `EADDRNOTAVAIL` (no such local address), … */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListenerStartError';
  }
}

/**
 * Content types whose bodies are read into memory and parsed: JSON, and the
 * types JSON is often sent under (SNS uses text/plain; `curl -d` sends a form type).
 */
function isInlineContentType(contentType: string | undefined): boolean {
  if (!contentType) {
    return true;
  }
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return (
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'text/json' ||
    type === 'text/plain' ||
    type === 'application/x-www-form-urlencoded'
  );
}

function isJsonContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

const extensionsByType: Record<string, string> = {
  'application/json': '.json',
  'text/plain': '.txt',
  'text/srt': '.srt',
  'text/vtt': '.vtt',
  'application/ttaf+xml': '.dfxp',
  'application/xml': '.xml',
  'text/xml': '.xml',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'application/zip': '.zip',
};

/** A safe file name for a received body: time, event id, and the request path's last segment. */
function receivedFileName(id: string, receivedAt: Date, path: string, contentType: string | undefined): string {
  const raw = path.split('/').filter(Boolean).pop() ?? '';
  let last: string;
  try {
    last = decodeURIComponent(raw);
  } catch {
    last = raw;
  }
  let name = sanitize(last).slice(0, 100);
  if (!extname(name)) {
    const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
    name = `${name || 'body'}${extensionsByType[type] ?? '.bin'}`;
  }
  const stamp = receivedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${id.slice(0, 8)}-${name}`;
}

/**
 * The URL a VK confirmation signature is computed over: the configured public
 * URL (a bare origin gets the request's path and query; a URL with a path is
 * used exactly), else the URL the request was received at, taking a tunnel's
 * `X-Forwarded-Proto`/`X-Forwarded-Host` into account.
 */
export function signedUrlFor(publicUrl: string | undefined, request: { url: string; headers: Record<string, string | string[] | undefined> }): {
  url: string;
  fromSetting: boolean;
} {
  const configured = publicUrl?.trim();
  if (configured) {
    try {
      const parsed = new URL(configured);
      const bareOrigin = (parsed.pathname === '/' || parsed.pathname === '') && !parsed.search;
      if (bareOrigin && request.url !== '/') {
        return { url: configured.replace(/\/+$/, '') + request.url, fromSetting: true };
      }
    } catch {
      // Not a URL: used as typed, which is what the user registered.
    }
    return { url: configured, fromSetting: true };
  }
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.split(',')[0].trim();
  const proto = first(request.headers['x-forwarded-proto']) ?? 'http';
  const host = first(request.headers['x-forwarded-host']) ?? first(request.headers.host) ?? 'localhost';
  return { url: `${proto}://${host}${request.url}`, fromSetting: false };
}

/** A request body being streamed to a received file, with its SHA-256. */
class BodySink {
  size = 0;
  file?: string;
  private stream?: WriteStream;
  private hash?: Hash;

  constructor(private readonly onBackpressure: (paused: boolean) => void) {}

  spill(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    this.file = file;
    this.hash = createHash('sha256');
    this.stream = createWriteStream(file, { flags: 'wx' });
    this.stream.on('error', () => undefined);
    this.stream.on('drain', () => this.onBackpressure(false));
  }

  push(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash?.update(chunk);
    if (this.stream && !this.stream.write(chunk)) {
      this.onBackpressure(true);
    }
  }

  /** Closes the file; resolves to its SHA-256. */
  finish(): Promise<string> {
    const stream = this.stream;
    const hash = this.hash;
    if (!stream || !hash) {
      return Promise.resolve('');
    }
    return new Promise((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve(hash.digest('hex')));
    });
  }

  /** Drops what was received (over the limit, or the client went away). */
  discard(): void {
    if (this.stream) {
      const file = this.file;
      this.stream.destroy();
      this.stream = undefined;
      if (file) {
        unlink(file, () => undefined);
      }
    }
  }
}

const kPending = Symbol('s3Hooks.pendingRequest');
type RequestWithState = http.IncomingMessage & { [kPending]?: PendingRequest };

function ignore(): void {
  // Errors on a request (the client went away) are handled by its 'close'.
}

// Shared by every request (no closures per request): `this` is the request.
function onRequestData(this: RequestWithState, chunk: Buffer): void {
  this[kPending]?.data(chunk);
}
function onRequestEnd(this: RequestWithState): void {
  this[kPending]?.end();
}
function onRequestClose(this: RequestWithState): void {
  this[kPending]?.close();
}

/** One request whose body is being received: in memory, or streamed to a file when large or not JSON/text. */
class PendingRequest {
  readonly id = randomUUID();
  readonly receivedAt = Date.now();
  readonly path: string;
  readonly query: string;
  readonly contentType: string | undefined;
  readonly declared: number | undefined;
  /** Request headers, names in lower case, credential-like values redacted. */
  readonly headers: Record<string, string>;
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  sink: BodySink | undefined;

  constructor(
    private readonly listener: WebhookListener,
    readonly req: RequestWithState,
    readonly res: http.ServerResponse,
    readonly bodyLimit: number,
    readonly inlineLimit: number,
  ) {
    const rawUrl = req.url ?? '/';
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

  /** The event record, built once the request is complete. */
  event(): WebhookEvent {
    const req = this.req;
    return {
      id: this.id,
      receivedAt: new Date(this.receivedAt).toISOString(),
      method: req.method ?? 'GET',
      path: this.path,
      query: this.query,
      headers: this.headers,
      remoteAddress: req.socket.remoteAddress,
      body: { size: 0 },
      kind: 'unknown',
      label: '',
      status: 0,
    };
  }

  /** Starts writing the body to a received file; false (answered 500) when the file cannot be created. */
  spill(): boolean {
    const sink = new BodySink((paused) => (paused ? this.req.pause() : this.req.resume()));
    try {
      sink.spill(this.listener.receivedFilePath(this));
    } catch (err) {
      this.done = true;
      this.listener.logFromRequest('error', `Could not create a received file: ${(err as Error).message}`);
      answer(this.res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the body' }) });
      return false;
    }
    for (const chunk of this.chunks) {
      sink.push(chunk);
    }
    this.chunks = [];
    this.sink = sink;
    return true;
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
      this.listener.overLimit(this);
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
      this.listener.finish(this);
    }
  }

  close(): void {
    this.req[kPending] = undefined;
    if (!this.req.complete && !this.done) {
      this.done = true;
      const received = this.sink ? this.sink.size : this.size;
      this.sink?.discard();
      this.chunks = [];
      this.listener.logFromRequest('warn', `${this.req.method ?? ''} ${this.path}: the client disconnected after ${received} bytes; nothing was stored`);
    }
  }
}

interface Answer {
  status: number;
  body: string;
}

/**
 * The local webhook listener: any method, any path, on node:http. Each request
 * becomes a {@link WebhookEvent} appended to the history; the answer is sent
 * only after that write completed, so a 2xx always means "stored".
 */
export class WebhookListener {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly eventListeners = new Set<(event: WebhookEvent) => void>();
  private address: AddressInfo | undefined;
  /** Events received since the last start. */
  received = 0;
  /** ISO time of the last stored event. */
  lastEventAt: string | undefined;

  constructor(private readonly options: WebhookListenerOptions) {}

  private get log(): NonNullable<WebhookListenerOptions['log']> {
    return this.options.log ?? (() => undefined);
  }

  /** The URL the listener is reachable at locally (`http://127.0.0.1:<port>/`), once started. */
  get url(): string | undefined {
    if (!this.address) {
      return undefined;
    }
    const { address, port, family } = this.address;
    const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : family === 'IPv6' ? `[${address}]` : address;
    return `http://${host}:${port}/`;
  }

  get port(): number | undefined {
    return this.address?.port;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  get history(): EventHistory {
    return this.options.history;
  }

  /** Called after each event was stored and answered. Returns an unsubscribe function. */
  onEvent(listener: (event: WebhookEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Binds and starts serving. Rejects with a {@link ListenerStartError} that says what to do. */
  async start(): Promise<string> {
    if (this.server) {
      return this.url ?? '';
    }
    const o = this.options;
    const host = o.host || listenerDefaults.host;
    const port = o.port ?? listenerDefaults.port;
    mkdirSync(o.receivedDir, { recursive: true });
    const server = http.createServer(
      {
        headersTimeout: o.headersTimeoutMs ?? listenerDefaults.headersTimeoutMs,
        requestTimeout: o.requestTimeoutMs ?? listenerDefaults.requestTimeoutMs,
        keepAliveTimeout: listenerDefaults.keepAliveTimeoutMs,
        // Timeouts are checked on this interval; Node's default (30 s) would let a slow client stay far longer.
        connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs ?? 1000),
      },
      (req, res) => this.handle(req, res),
    );
    // Expect: 100-continue: refuse an over-limit body before the client sends it.
    server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (!(declared > (o.bodyLimit ?? listenerDefaults.bodyLimit))) {
        res.writeContinue();
      }
      this.handle(req, res);
    });
    server.maxConnections = o.maxConnections ?? listenerDefaults.maxConnections;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      // Malformed HTTP, header timeouts and resets: answer when possible, never crash.
      if (socket.writable && err.code !== 'ECONNRESET') {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT' ? 408 : 400;
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        reject(startError(err, host, port));
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    server.on('error', (err) => this.log('error', `Listener error: ${err.message}`));
    this.server = server;
    this.address = server.address() as AddressInfo;
    this.received = 0;
    this.log('info', `Webhook listener on ${this.url}`);
    return this.url ?? '';
  }

  /**
   * Stops accepting, lets requests in progress finish (their events are stored
   * and answered) for up to `graceMs`, then closes every connection.
   */
  async stop(graceMs = 3000): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    server.closeAllConnections();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
    this.address = undefined;
    this.log('info', 'Webhook listener stopped');
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  /** Runs once per response ('close' is emitted exactly once), shared by all of them. */
  private readonly onResponseClose = (): void => this.settled();

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.inFlight++;
    res.on('close', this.onResponseClose);
    const o = this.options;
    const pending = new PendingRequest(this, req, res, o.bodyLimit ?? listenerDefaults.bodyLimit, o.inlineLimit ?? listenerDefaults.inlineLimit);
    if (pending.declared !== undefined && pending.declared > pending.bodyLimit) {
      req.resume();
      this.tooLarge(req, res, pending.event(), pending.declared, pending.bodyLimit);
      return;
    }
    if (!isInlineContentType(pending.contentType) || (pending.declared !== undefined && pending.declared > pending.inlineLimit)) {
      if (!pending.spill()) {
        req.resume();
        return;
      }
    }
    (req as RequestWithState)[kPending] = pending;
    req.on('data', onRequestData);
    req.once('end', onRequestEnd);
    req.once('close', onRequestClose);
    req.once('error', ignore);
  }

  /** @internal Called by {@link PendingRequest} when its body is complete. */
  finish(pending: PendingRequest): void {
    if (pending.sink) {
      void this.completeFile(pending.res, pending.event(), pending.sink, pending.contentType);
    } else {
      this.complete(pending.req, pending.res, pending.event(), pending.body(), pending.contentType);
    }
  }

  /** @internal */
  overLimit(pending: PendingRequest): void {
    this.tooLarge(pending.req, pending.res, pending.event(), undefined, pending.bodyLimit);
  }

  /** @internal */
  receivedFilePath(pending: PendingRequest): string {
    return join(this.options.receivedDir, receivedFileName(pending.id, new Date(pending.receivedAt), pending.path, pending.contentType));
  }

  /** @internal */
  logFromRequest(level: 'info' | 'warn' | 'error', message: string): void {
    this.log(level, message);
  }

  private tooLarge(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    event: WebhookEvent,
    declared: number | undefined,
    limit: number,
  ): void {
    const reason = `the body is larger than the listener's limit of ${limit} bytes`;
    event.body = { size: declared ?? limit, dropped: true };
    event.kind = 'tooLarge';
    event.label = `${event.method} body over the limit`;
    event.status = 413;
    event.answer = JSON.stringify({ error: reason });
    event.error = reason;
    // Keep reading (and discarding) so the client can finish sending and see the answer; then close.
    req.resume();
    this.storeAndAnswer(res, event, { status: 413, body: event.answer }, true);
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  }

  /** A body that was streamed to a file: close it, then store and answer. */
  private async completeFile(res: http.ServerResponse, event: WebhookEvent, sink: BodySink, contentType: string | undefined): Promise<void> {
    let sha256: string;
    try {
      sha256 = await sink.finish();
    } catch (err) {
      this.log('error', `Could not write the received file ${sink.file}: ${(err as Error).message}`);
      answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the body' }) });
      return;
    }
    event.body = { size: sink.size, file: sink.file, sha256 };
    event.kind = 'file';
    event.label = `${event.method} ${event.path.split('/').filter(Boolean).pop() ?? contentType ?? 'body'}`;
    event.status = this.options.answerStatus ?? listenerDefaults.answerStatus;
    this.storeAndAnswer(res, event, defaultAnswer(event));
  }

  /**
   * A body held in memory: parse, classify, store, answer. Synchronous except
   * for SNS messages, whose certificate may have to be fetched first.
   */
  private complete(req: http.IncomingMessage, res: http.ServerResponse, event: WebhookEvent, buffer: Buffer, contentType: string | undefined): void {
    const defaultStatus = this.options.answerStatus ?? listenerDefaults.answerStatus;
    const textual = isUtf8(buffer);
    const text = textual ? buffer.toString('utf8') : undefined;
    event.body = text !== undefined ? { size: buffer.length, text } : { size: buffer.length, base64: buffer.toString('base64') };
    event.label = event.method;
    event.status = defaultStatus;
    if (buffer.length === 0) {
      event.label = `${event.method} (empty body)`;
      this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }
    const first = text === undefined ? '' : text.charCodeAt(0) <= 32 ? text.trimStart().charAt(0) : text.charAt(0);
    if (text === undefined || !(first === '{' || first === '[' || isJsonContentType(contentType))) {
      event.label = `${event.method} ${textual ? 'text' : 'binary'} body`;
      this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const parsed = parseEventJson(text);
      const reason = parsed.ok ? 'Malformed JSON.' : parsed.error.message;
      event.kind = 'malformed';
      event.label = 'Malformed JSON';
      event.error = reason;
      event.status = 400;
      this.storeAndAnswer(res, event, { status: 400, body: JSON.stringify({ error: reason }) });
      return;
    }
    const c = classifyJson(value, event.headers['x-amz-sns-message-type'], text);
    event.kind = c.kind;
    event.label = c.label;
    if (c.dedupeKeys.length > 0) {
      event.dedupeKeys = c.dedupeKeys;
    }
    if (c.fileReferences > 0) {
      event.fileReferences = c.fileReferences;
    }
    if (c.warnings) {
      event.warnings = [...c.warnings];
    }
    if (c.sns) {
      void this.verifyAndAnswer(res, event, c.sns, c.kind, defaultStatus);
    } else {
      this.storeAndAnswer(res, event, this.answerFor(req, event, c, defaultStatus));
    }
  }

  /** SNS messages: verify the signature, then store and answer (403 when it does not verify). */
  private async verifyAndAnswer(res: http.ServerResponse, event: WebhookEvent, sns: SnsMessage, kind: WebhookEventKind, defaultStatus: number): Promise<void> {
    const check = await verifySnsMessage(sns, this.options.sns);
    event.sns = { verified: check.ok, messageId: sns.MessageId, topicArn: sns.TopicArn, ...(check.ok ? {} : { reason: check.reason }) };
    if (!check.ok) {
      this.log('warn', `SNS ${sns.Type} ${sns.MessageId} rejected: ${check.reason}`);
      event.answer = JSON.stringify({ error: `SNS signature not verified: ${check.reason}` });
      this.storeAndAnswer(res, event, { status: 403, body: event.answer });
      return;
    }
    if (kind !== 'snsSubscriptionConfirmation') {
      event.status = defaultStatus;
      this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }
    event.answer = JSON.stringify({ received: event.id });
    const autoConfirm = this.options.snsAutoConfirm ?? false;
    this.log(
      'info',
      autoConfirm
        ? `SNS subscription confirmation for ${sns.TopicArn} verified; confirming it`
        : `SNS subscription confirmation for ${sns.TopicArn} verified; confirm it from the Webhook Events view when you want it`,
    );
    this.storeAndAnswer(res, event, { status: 200, body: event.answer }, false, () => {
      if (autoConfirm) {
        this.confirmSubscription(event.id, sns).catch(() => undefined);
      }
    });
  }

  /** Decides the answer for a classified JSON event (not SNS), filling in what the event records about it. */
  private answerFor(req: http.IncomingMessage, event: WebhookEvent, c: Classification, defaultStatus: number): Answer {
    if (c.kind === 'vkConfirmation' && c.confirmation) {
      const signed = signedUrlFor(this.options.publicUrl, { url: req.url ?? '/', headers: event.headers });
      const signature = confirmationSignature({ ...c.confirmation, url: signed.url });
      event.signedUrl = signed.url;
      event.answer = confirmationAnswer(signature);
      if (!signed.fromSetting) {
        const warning =
          `No public URL is configured: the confirmation was signed over the URL this request arrived at (${signed.url}). ` +
          'The provider signs over the URL registered in its configuration; set the public URL (the tunnel address) if they differ.';
        (event.warnings ??= []).push(warning);
        this.log('warn', warning);
      }
      return { status: 200, body: event.answer };
    }
    event.status = defaultStatus;
    return defaultAnswer(event);
  }

  /**
   * Appends the event, and only once it is written, answers (then runs
   * `after`). A failed write answers 500 so that the provider retries.
   */
  private storeAndAnswer(res: http.ServerResponse, event: WebhookEvent, result: Answer, close = false, after?: () => void): void {
    event.status = result.status;
    this.options.history.appendThen(event, (err) => {
      if (err) {
        this.log('error', `Could not store event ${event.id}: ${err.message}`);
        answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the event' }) }, true);
        return;
      }
      answer(res, result, close);
      this.received++;
      this.lastEventAt = event.receivedAt;
      for (const listener of this.eventListeners) {
        try {
          listener(event);
        } catch (e) {
          this.log('error', `Event listener failed: ${(e as Error).message}`);
        }
      }
      after?.();
    });
  }

  /**
   * Confirms an SNS subscription by fetching the SubscribeURL of a stored
   * `snsSubscriptionConfirmation` event, and records the outcome on the event.
   */
  async confirmSubscription(eventId: string, message?: SnsMessage): Promise<{ subscriptionArn?: string }> {
    const event = this.options.history.get(eventId);
    const sns = message ?? (event?.body.text ? (JSON.parse(event.body.text) as SnsMessage) : undefined);
    if (!sns || sns.Type !== 'SubscriptionConfirmation') {
      throw new Error('This event is not an SNS subscription confirmation.');
    }
    try {
      const result = await confirmSnsSubscription(sns, this.options.sns);
      await this.options.history.annotateSns(eventId, {
        verified: event?.sns?.verified ?? true,
        subscription: { confirmedAt: new Date().toISOString(), subscriptionArn: result.subscriptionArn },
      });
      this.log('info', `SNS subscription to ${sns.TopicArn} confirmed${result.subscriptionArn ? ` (${result.subscriptionArn})` : ''}`);
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.options.history.annotateSns(eventId, { verified: event?.sns?.verified ?? false, subscription: { error: message } }).catch(() => undefined);
      this.log('error', `SNS subscription to ${sns.TopicArn} not confirmed: ${message}`);
      throw err;
    }
  }
}

function defaultAnswer(event: WebhookEvent): Answer {
  if (event.status >= 200 && event.status < 300) {
    return { status: event.status, body: JSON.stringify({ received: event.id }) };
  }
  const body = JSON.stringify({ error: `answering ${event.status} as configured` });
  event.answer = body;
  return { status: event.status, body };
}

function answer(res: http.ServerResponse, result: Answer, close = false): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  // The array form of writeHead skips building a header object per answer.
  const headers = ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(result.body))];
  if (close) {
    headers.push('Connection', 'close');
  }
  res.writeHead(result.status, headers);
  res.end(result.body);
}

function startError(err: NodeJS.ErrnoException, host: string, port: number): ListenerStartError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenerStartError(
        `Port ${port} on ${host} is already in use (another listener, or another program). Stop it, or choose another port (0 picks any free port).`,
        'EADDRINUSE',
      );
    case 'EACCES':
      return new ListenerStartError(`Port ${port} needs administrator rights. Choose a port above 1023 (0 picks any free port).`, 'EACCES');
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ListenerStartError(`${host} is not an address of this computer. Use 127.0.0.1 (or 0.0.0.0 to listen on every interface).`, err.code);
    default:
      return new ListenerStartError(`The listener could not start on ${host}:${port}: ${err.message}`, err.code ?? 'UNKNOWN');
  }
}
