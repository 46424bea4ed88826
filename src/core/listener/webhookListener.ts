import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { listenerDefaults } from '../defaults';
import type { SnsMessage } from '../sns/snsMessage';
import { AnswerPath } from './answerPath';
import { ConnectionGuard } from './connectionGuard';
import { isInlineContentType } from './contentTypes';
import type { EventHistory } from './eventHistory';
import { bindServer, createListenerServer } from './listenerServer';
import type { WebhookListenerOptions } from './listenerOptions';
import { PendingRequest, requestClosed } from './requestIntake';
import { RequestWatch } from './requestWatch';
import type { WebhookEvent } from './webhookEvent';

export { ListenerStartError, type WebhookListenerOptions } from './listenerOptions';

/**
 * The local webhook listener: any method, any path, on node:http. Each request
 * becomes a {@link WebhookEvent} appended to the history; the answer is sent
 * only after that write completed, so a 2xx always means "stored" (the
 * {@link AnswerPath}). This class owns the server, its connections and the
 * requests in flight.
 */
export class WebhookListener {
  private server: http.Server | undefined;
  private guard: ConnectionGuard | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private address: AddressInfo | undefined;
  /** Decides, stores and answers every request, once its body is in. */
  private readonly answers: AnswerPath;

  constructor(private readonly options: WebhookListenerOptions) {
    this.answers = new AnswerPath(options);
  }

  /** Events received since the last start. */
  get received(): number {
    return this.answers.received;
  }

  /** ISO time of the last stored event. */
  get lastEventAt(): string | undefined {
    return this.answers.lastEventAt;
  }

  /** The URL confirmations are signed over; a tunnel started after the listener sets it. */
  get publicUrl(): string | undefined {
    return this.options.publicUrl;
  }

  set publicUrl(url: string | undefined) {
    this.options.publicUrl = url;
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
    return this.answers.onEvent(listener);
  }

  /** Binds and starts serving. Rejects with a {@link ListenerStartError} that says what to do. */
  async start(): Promise<string> {
    if (this.server) {
      return this.url ?? '';
    }
    const o = this.options;
    const host = o.host || listenerDefaults.host;
    // No port given (tests, the benchmark): any free one. Front ends pass the user's, whose default is listenerDefaults.port.
    const port = o.port ?? 0;
    mkdirSync(o.receivedDir, { recursive: true });
    const guard = new ConnectionGuard(o.maxConnections ?? listenerDefaults.maxConnections);
    const server = createListenerServer(o, guard, (req, res) => this.handle(req, res));
    await bindServer(server, host, port);
    this.guard = guard;
    server.on('error', (err) => this.answers.log('error', `Listener error: ${err.message}`));
    this.server = server;
    this.answers.watch = new RequestWatch(
      {
        answerDeadlineMs: o.answerDeadlineMs ?? listenerDefaults.answerDeadlineMs,
        minBytesPerSecond: o.minBodyBytesPerSecond ?? listenerDefaults.minBodyBytesPerSecond,
        graceMs: listenerDefaults.bodyPaceGraceMs,
        inlineTimeoutMs: o.inlineBodyTimeoutMs ?? listenerDefaults.inlineBodyTimeoutMs,
      },
      (level, message) => this.answers.log(level, message),
    );
    this.address = server.address() as AddressInfo;
    this.answers.received = 0;
    this.answers.log('info', `Webhook listener on ${this.url}`);
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
    this.guard?.destroyAll();
    await closed;
    await this.answers.stop();
    this.address = undefined;
    this.answers.log('info', 'Webhook listener stopped');
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  /**
   * Runs once per response ('close' is emitted exactly once, also when the
   * client goes away mid-body): ends the request's intake, frees its place.
   * One function shared by every response (`this` is the response), not a
   * closure per request.
   */
  private readonly onResponseClose = ((listener: WebhookListener) =>
    function (this: http.ServerResponse): void {
      requestClosed(this.req);
      listener.guard?.requestEnded(this.req.socket);
      listener.settled();
    })(this);

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.inFlight++;
    const socket = req.socket;
    this.guard?.requestStarted(socket);
    res.on('close', this.onResponseClose);
    const o = this.options;
    const answers = this.answers;
    const pending = new PendingRequest(answers, req, res, o.bodyLimit ?? listenerDefaults.bodyLimit, o.inlineLimit ?? listenerDefaults.inlineLimit);
    if (pending.declared !== undefined && pending.declared > pending.bodyLimit) {
      answers.tooLarge(pending, pending.declared);
      return;
    }
    if (!isInlineContentType(pending.contentType) || (pending.declared !== undefined && pending.declared > pending.inlineLimit)) {
      if (!pending.spill()) {
        req.resume();
        return;
      }
    }
    pending.listen();
    answers.watch?.bodyStarted(pending);
  }

  /** Confirms the subscription of a stored SNS confirmation event ({@link AnswerPath.confirmSubscription}). */
  confirmSubscription(eventId: string, message?: SnsMessage): Promise<{ subscriptionArn?: string }> {
    return this.answers.confirmSubscription(eventId, message);
  }
}
