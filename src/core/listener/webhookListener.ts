import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listenerDefaults } from '../defaults';
import { verifySnsMessage, type SnsMessage } from '../sns/snsMessage';
import { confirmStoredSubscription } from '../sns/subscription';
import {
  decideBodyNotStored,
  decideFile,
  decideInline,
  decideSns,
  decideTooLarge,
  decideUnreadable,
  storeFailedAnswer,
  type AnswerSettings,
  type Decision,
  type SnsPending,
} from './answerPolicy';
import { ConnectionGuard } from './connectionGuard';
import { isInlineContentType } from './contentTypes';
import type { EventHistory } from './eventHistory';
import { bindServer, createListenerServer } from './listenerServer';
import type { WebhookListenerOptions } from './listenerOptions';
import { receivedFileName } from './receivedFile';
import { PendingRequest, type IntakeOwner } from './requestIntake';
import { closeAfterAnswer, RequestWatch } from './requestWatch';
import type { WebhookEvent } from './webhookEvent';
import type { ForwardableRequest } from '../forward';
import { AppDelivery } from './appDelivery';
import { sendAnswer as answer } from './sendAnswer';

export { ListenerStartError, type WebhookListenerOptions } from './listenerOptions';

/**
 * The local webhook listener: any method, any path, on node:http. Each request
 * becomes a {@link WebhookEvent} appended to the history; the answer is sent
 * only after that write completed, so a 2xx always means "stored".
 */
export class WebhookListener implements IntakeOwner {
  private server: http.Server | undefined;
  private guard: ConnectionGuard | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly eventListeners = new Set<(event: WebhookEvent) => void>();
  private watch: RequestWatch | undefined;
  private address: AddressInfo | undefined;
  /** Events received since the last start. */
  received = 0;
  /** ISO time of the last stored event. */
  lastEventAt: string | undefined;

  /** Forwarding, answer rules and signature checks, when any is configured. */
  private readonly delivery: AppDelivery | undefined;

  constructor(private readonly options: WebhookListenerOptions) {
    this.delivery = options.delivery
      ? new AppDelivery(options.delivery, { history: options.history, store: (event) => this.storeEvent(event), log: (level, message) => this.log(level, message) })
      : undefined;
  }

  /** The URL confirmations are signed over; a tunnel started after the listener sets it. */
  get publicUrl(): string | undefined {
    return this.options.publicUrl;
  }

  set publicUrl(url: string | undefined) {
    this.options.publicUrl = url;
  }

  /** @internal Log sink (also used by the requests being received). */
  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  /** Built once per change of the public URL, not per request. */
  private answerSettings: AnswerSettings | undefined;

  private get settings(): AnswerSettings {
    const publicUrl = this.options.publicUrl;
    if (!this.answerSettings || this.answerSettings.publicUrl !== publicUrl) {
      this.answerSettings = { answerStatus: this.options.answerStatus ?? listenerDefaults.answerStatus, publicUrl };
    }
    return this.answerSettings;
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
    // No port given (tests, the benchmark): any free one. Front ends pass the user's, whose default is listenerDefaults.port.
    const port = o.port ?? 0;
    mkdirSync(o.receivedDir, { recursive: true });
    const guard = new ConnectionGuard(o.maxConnections ?? listenerDefaults.maxConnections);
    const server = createListenerServer(o, guard, (req, res) => this.handle(req, res));
    await bindServer(server, host, port);
    this.guard = guard;
    server.on('error', (err) => this.log('error', `Listener error: ${err.message}`));
    this.server = server;
    this.watch = new RequestWatch(
      {
        answerDeadlineMs: o.answerDeadlineMs ?? listenerDefaults.answerDeadlineMs,
        minBytesPerSecond: o.minBodyBytesPerSecond ?? listenerDefaults.minBodyBytesPerSecond,
        graceMs: listenerDefaults.bodyPaceGraceMs,
        inlineTimeoutMs: o.inlineBodyTimeoutMs ?? listenerDefaults.inlineBodyTimeoutMs,
      },
      (level, message) => this.log(level, message),
    );
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
    this.guard?.destroyAll();
    await closed;
    this.watch?.stop();
    await this.delivery?.stop();
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

  /**
   * Runs once per response ('close' is emitted exactly once): one function
   * shared by every response (`this` is the response), not a closure per request.
   */
  private readonly onResponseClose = ((listener: WebhookListener) =>
    function (this: http.ServerResponse): void {
      listener.guard?.requestEnded(this.req.socket);
      listener.settled();
    })(this);

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.inFlight++;
    const socket = req.socket;
    this.guard?.requestStarted(socket);
    res.on('close', this.onResponseClose);
    const o = this.options;
    const pending = new PendingRequest(this, req, res, o.bodyLimit ?? listenerDefaults.bodyLimit, o.inlineLimit ?? listenerDefaults.inlineLimit);
    if (pending.declared !== undefined && pending.declared > pending.bodyLimit) {
      this.tooLarge(pending, pending.declared);
      return;
    }
    if (!isInlineContentType(pending.contentType) || (pending.declared !== undefined && pending.declared > pending.inlineLimit)) {
      if (!pending.spill()) {
        req.resume();
        return;
      }
    }
    pending.listen();
    this.watch?.bodyStarted(pending);
  }

  /** @internal The body is complete: decide, store, answer. Nothing a body holds can make this throw. */
  finish(pending: PendingRequest): void {
    this.watch?.bodyArrived(pending);
    const sink = pending.sink;
    if (sink) {
      sink.finish().then(
        (sha256) =>
          this.storeAndAnswer(
            pending,
            decideFile(pending.event(), { size: sink.size, file: sink.file, sha256 }, pending.contentType, this.settings),
            undefined,
            sink.file ? { file: sink.file, size: sink.size } : undefined,
          ),
        (err: Error) => this.spillFailed(pending, err, sink.size),
      );
      return;
    }
    const body = pending.body();
    let decided: Decision | SnsPending;
    try {
      decided = decideInline(pending.event(), body, pending.contentType, pending.rawUrl, this.settings);
    } catch (err) {
      this.storeAndAnswer(pending, decideUnreadable(pending.event(), body, errorText(err)));
      return;
    }
    if ('sns' in decided) {
      this.verifyAndAnswer(pending, decided, body).catch((err: unknown) => this.storeAndAnswer(pending, decideUnreadable(pending.event(), body, errorText(err))));
    } else {
      this.storeAndAnswer(pending, decided, undefined, body);
    }
  }

  /** @internal */
  overLimit(pending: PendingRequest): void {
    this.tooLarge(pending, undefined);
  }

  /** @internal The received file could not be written: answer 500 now (the provider retries) and record why. */
  spillFailed(pending: PendingRequest, err: Error, received: number): void {
    this.log('error', `Could not write a received file for ${pending.req.method ?? ''} ${pending.path}: ${err.message}`);
    this.storeAndAnswer(pending, decideBodyNotStored(pending.event(), received, err.message));
  }

  /** @internal */
  receivedFilePath(pending: PendingRequest): string {
    return join(this.options.receivedDir, receivedFileName(pending.id, new Date(pending.receivedAt), pending.path, pending.contentType));
  }

  private tooLarge(pending: PendingRequest, declared: number | undefined): void {
    const req = pending.req;
    // Keep reading (and discarding) so the client can finish sending and see the answer; then close.
    req.resume();
    this.storeAndAnswer(pending, decideTooLarge(pending.event(), declared, pending.bodyLimit));
    closeAfterAnswer(req);
  }

  /** SNS messages: verify the signature, then store and answer (403 when it does not verify). */
  private async verifyAndAnswer(request: PendingRequest, pending: SnsPending, raw: ForwardableRequest['body']): Promise<void> {
    const check = await verifySnsMessage(pending.sns, this.options.sns);
    const decided = decideSns(pending, check, this.settings);
    const sns = pending.sns;
    if (decided.confirm) {
      const autoConfirm = this.options.snsAutoConfirm ?? listenerDefaults.snsAutoConfirm;
      this.log(
        'info',
        autoConfirm
          ? `SNS subscription confirmation for ${sns.TopicArn} verified; confirming it`
          : `SNS subscription confirmation for ${sns.TopicArn} verified; confirm it from the Webhook Events view when you want it`,
      );
      this.storeAndAnswer(
        request,
        decided,
        () => {
          if (autoConfirm) {
            this.confirmSubscription(decided.event.id, sns).catch(() => undefined);
          }
        },
        raw,
      );
      return;
    }
    this.storeAndAnswer(request, decided, undefined, raw);
  }

  /**
   * Appends the event, and only once it is written, answers (then runs
   * `after`). A failed write answers 500 so that the provider retries.
   * `raw` is the body as received, for forwarding and signature checks.
   */
  private storeAndAnswer(pending: PendingRequest, decision: Decision, after?: () => void, raw?: ForwardableRequest['body']): void {
    const res = pending.res;
    // Answered by the backstop already: the history records that answer, not the one decided too late.
    const decided = res.headersSent && this.watch ? { ...decision, event: this.watch.answeredLate(decision.event) } : decision;
    const { event, answer: result } = decided;
    if (decided.warning) {
      this.log('warn', decided.warning);
    }
    if (raw && this.delivery) {
      void this.delivery.deliver(res, decided, pending.forwardable(raw), after, () => this.watch?.stored(pending));
      return;
    }
    this.storeThen(event, (err) => {
      this.watch?.stored(pending);
      if (err) {
        this.log('error', `Could not store event ${event.id}: ${err.message}`);
        answer(res, storeFailedAnswer('event'));
        return;
      }
      answer(res, result);
      after?.();
    });
  }

  /**
   * Appends an event, then counts and announces it; `done` answers. A callback,
   * not a promise: this runs for every request, and the promise's extra turn of
   * the microtask queue showed in the listener's profile.
   */
  private storeThen(event: WebhookEvent, done: (err: Error | null) => void): void {
    this.options.history.appendThen(event, (err) => {
      if (!err) {
        this.announce(event);
      }
      done(err);
    });
  }

  /** {@link storeThen} as a promise (forwarding stores before it answers). */
  private storeEvent(event: WebhookEvent): Promise<void> {
    return new Promise((resolve, reject) => this.storeThen(event, (err) => (err ? reject(err) : resolve())));
  }

  private announce(event: WebhookEvent): void {
    this.received++;
    this.lastEventAt = event.receivedAt;
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (e) {
        this.log('error', `Event listener failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Confirms an SNS subscription by fetching the SubscribeURL of a stored
   * `snsSubscriptionConfirmation` event, and records the outcome on the event.
   */
  confirmSubscription(eventId: string, message?: SnsMessage): Promise<{ subscriptionArn?: string }> {
    return confirmStoredSubscription(this.options.history, eventId, { sns: this.options.sns, message, log: (level, text) => this.log(level, text) });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

