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
import { redactHeaders, type WebhookEvent, type WebhookEventBody } from './webhookEvent';

/** Defaults shared by the VS Code settings and the CLI. */
export const listenerDefaults = {
  host: '127.0.0.1',
  port: 0,
  /** 100 MiB: large enough for a vendor PUT-ting a result file. */
  bodyLimit: 100 * 1024 * 1024,
  /** JSON and text bodies up to this size are kept in the event itself; larger ones go to a file. */
  inlineLimit: 1024 * 1024,
  answerStatus: 200,
  maxConnections: 256,
  /** A client has this long to send its headers… */
  headersTimeoutMs: 10_000,
  /** …and this long for the whole request (a slow PUT of a large file included). */
  requestTimeoutMs: 120_000,
  /** An idle socket (no bytes either way) is closed after this long. */
  idleTimeoutMs: 30_000,
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
  idleTimeoutMs?: number;
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
export function signedUrlFor(publicUrl: string | undefined, request: { url: string; headers: http.IncomingHttpHeaders }): {
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
  const host = first(request.headers['x-forwarded-host']) ?? request.headers.host ?? 'localhost';
  return { url: `${proto}://${host}${request.url}`, fromSetting: false };
}

/** Where a request body is going: memory until it is too big or not JSON/text, then a file. */
class BodySink {
  private chunks: Buffer[] = [];
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
    for (const chunk of this.chunks) {
      this.hash.update(chunk);
      this.stream.write(chunk);
    }
    this.chunks = [];
  }

  get spilled(): boolean {
    return this.stream !== undefined;
  }

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.stream) {
      this.hash?.update(chunk);
      if (!this.stream.write(chunk)) {
        this.onBackpressure(true);
      }
    } else {
      this.chunks.push(chunk);
    }
  }

  buffer(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
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
    this.chunks = [];
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
  lastEventAt: Date | undefined;

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
    server.timeout = o.idleTimeoutMs ?? listenerDefaults.idleTimeoutMs;
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

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.inFlight++;
    let settled = false;
    const settle = (): void => {
      if (!settled) {
        settled = true;
        this.settled();
      }
    };
    res.once('close', settle);

    const o = this.options;
    const receivedAt = new Date();
    const id = randomUUID();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = q === -1 ? '' : rawUrl.slice(q + 1);
    const contentType = req.headers['content-type'];
    const bodyLimit = o.bodyLimit ?? listenerDefaults.bodyLimit;
    const inlineLimit = o.inlineLimit ?? listenerDefaults.inlineLimit;
    const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;

    const base = (): Omit<WebhookEvent, 'body' | 'kind' | 'label' | 'status'> => ({
      id,
      receivedAt: receivedAt.toISOString(),
      method: req.method ?? 'GET',
      path,
      query,
      headers: redactHeaders(req.headers),
      remoteAddress: req.socket.remoteAddress,
    });

    if (declared !== undefined && declared > bodyLimit) {
      req.resume();
      void this.tooLarge(req, res, base(), declared, bodyLimit);
      return;
    }

    const sink = new BodySink((paused) => (paused ? req.pause() : req.resume()));
    const toFile = (): void => sink.spill(join(o.receivedDir, receivedFileName(id, receivedAt, path, contentType)));
    try {
      if (!isInlineContentType(contentType) || (declared !== undefined && declared > inlineLimit)) {
        toFile();
      }
    } catch (err) {
      this.log('error', `Could not create a received file in ${o.receivedDir}: ${(err as Error).message}`);
      answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the body' }) });
      req.resume();
      return;
    }

    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) {
        return;
      }
      if (sink.size + chunk.length > bodyLimit) {
        over = true;
        sink.discard();
        void this.tooLarge(req, res, base(), undefined, bodyLimit);
        return;
      }
      if (!sink.spilled && sink.size + chunk.length > inlineLimit) {
        try {
          toFile();
        } catch (err) {
          over = true;
          this.log('error', `Could not create a received file in ${o.receivedDir}: ${(err as Error).message}`);
          answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the body' }) });
          return;
        }
      }
      sink.push(chunk);
    });
    req.once('end', () => {
      if (!over) {
        void this.complete(req, res, base(), sink, contentType);
      }
    });
    req.once('close', () => {
      if (!req.complete && !over) {
        over = true;
        sink.discard();
        this.log('warn', `${req.method ?? ''} ${path}: the client disconnected after ${sink.size} bytes; nothing was stored`);
      }
    });
    req.once('error', () => undefined);
  }

  private async tooLarge(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    base: Omit<WebhookEvent, 'body' | 'kind' | 'label' | 'status'>,
    declared: number | undefined,
    limit: number,
  ): Promise<void> {
    const reason = `the body is larger than the listener's limit of ${limit} bytes`;
    const event: WebhookEvent = {
      ...base,
      body: { size: declared ?? limit, dropped: true },
      kind: 'tooLarge',
      label: `${base.method} body over the limit`,
      status: 413,
      answer: JSON.stringify({ error: reason }),
      error: reason,
    };
    // Keep reading (and discarding) so the client can finish sending and see the answer; then close.
    req.resume();
    await this.storeAndAnswer(res, event, { status: 413, body: event.answer! }, true);
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  }

  private async complete(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    base: Omit<WebhookEvent, 'body' | 'kind' | 'label' | 'status'>,
    sink: BodySink,
    contentType: string | undefined,
  ): Promise<void> {
    const o = this.options;
    const defaultStatus = o.answerStatus ?? listenerDefaults.answerStatus;
    if (sink.spilled) {
      let sha256: string;
      try {
        sha256 = await sink.finish();
      } catch (err) {
        this.log('error', `Could not write the received file ${sink.file}: ${(err as Error).message}`);
        answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the body' }) });
        return;
      }
      const event: WebhookEvent = {
        ...base,
        body: { size: sink.size, file: sink.file, sha256 },
        kind: 'file',
        label: `${base.method} ${base.path.split('/').filter(Boolean).pop() ?? contentType ?? 'body'}`,
        status: defaultStatus,
      };
      await this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }

    const buffer = sink.buffer();
    const textual = isUtf8(buffer);
    const body: WebhookEventBody = textual ? { size: buffer.length, text: buffer.toString('utf8') } : { size: buffer.length, base64: buffer.toString('base64') };
    const event: WebhookEvent = { ...base, body, kind: 'unknown', label: base.method, status: defaultStatus };
    const trimmed = body.text?.trimStart() ?? '';
    const looksJson = textual && (isJsonContentType(contentType) || trimmed.startsWith('{') || trimmed.startsWith('['));
    if (buffer.length === 0) {
      event.label = `${base.method} (empty body)`;
      await this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }
    if (!looksJson) {
      event.label = `${base.method} ${textual ? 'text' : 'binary'} body`;
      await this.storeAndAnswer(res, event, defaultAnswer(event));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body.text!);
    } catch {
      const parsed = parseEventJson(body.text!);
      const reason = parsed.ok ? 'Malformed JSON.' : parsed.error.message;
      event.kind = 'malformed';
      event.label = 'Malformed JSON';
      event.error = reason;
      event.status = 400;
      await this.storeAndAnswer(res, event, { status: 400, body: JSON.stringify({ error: reason }) });
      return;
    }
    const c = classifyJson(value, headerValue(req.headers['x-amz-sns-message-type']));
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
    const result = await this.answerFor(req, event, c, defaultStatus);
    await this.storeAndAnswer(res, event, result);
    if (c.sns && event.kind === 'snsSubscriptionConfirmation' && event.sns?.verified && o.snsAutoConfirm) {
      void this.confirmSubscription(event.id, c.sns);
    }
  }

  /** Decides the answer for a classified JSON event, filling in what the event should record about it. */
  private async answerFor(req: http.IncomingMessage, event: WebhookEvent, c: Classification, defaultStatus: number): Promise<Answer> {
    if (c.kind === 'vkConfirmation' && c.confirmation) {
      const signed = signedUrlFor(this.options.publicUrl, { url: req.url ?? '/', headers: req.headers });
      const signature = confirmationSignature({ ...c.confirmation, url: signed.url });
      event.signedUrl = signed.url;
      event.status = 200;
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
    if (c.sns) {
      const check = await verifySnsMessage(c.sns, this.options.sns);
      event.sns = { verified: check.ok, messageId: c.sns.MessageId, topicArn: c.sns.TopicArn, ...(check.ok ? {} : { reason: check.reason }) };
      if (!check.ok) {
        this.log('warn', `SNS ${c.sns.Type} ${c.sns.MessageId} rejected: ${check.reason}`);
        event.status = 403;
        event.answer = JSON.stringify({ error: `SNS signature not verified: ${check.reason}` });
        return { status: 403, body: event.answer };
      }
      if (c.kind === 'snsSubscriptionConfirmation') {
        event.status = 200;
        event.answer = JSON.stringify({ received: event.id });
        this.log(
          'info',
          this.options.snsAutoConfirm
            ? `SNS subscription confirmation for ${c.sns.TopicArn} verified; confirming it`
            : `SNS subscription confirmation for ${c.sns.TopicArn} verified; confirm it from the Webhook Events view when you want it`,
        );
        return { status: 200, body: event.answer };
      }
    }
    event.status = defaultStatus;
    return defaultAnswer(event);
  }

  /** Appends the event, and only once it is written, answers. A failed write answers 500 so the provider retries. */
  private async storeAndAnswer(res: http.ServerResponse, event: WebhookEvent, result: Answer, close = false): Promise<void> {
    event.status = result.status;
    try {
      await this.options.history.append(event);
    } catch (err) {
      this.log('error', `Could not store event ${event.id}: ${(err as Error).message}`);
      answer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the event' }) }, true);
      return;
    }
    answer(res, result, close);
    this.received++;
    this.lastEventAt = new Date(event.receivedAt);
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (err) {
        this.log('error', `Event listener failed: ${(err as Error).message}`);
      }
    }
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(result.body),
  };
  if (close) {
    headers.Connection = 'close';
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
