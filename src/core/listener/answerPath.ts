import { join } from 'node:path';
import { listenerDefaults } from '../defaults';
import type { ForwardableRequest } from '../forward';
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
import { AppDelivery } from './appDelivery';
import type { WebhookListenerOptions } from './listenerOptions';
import { receivedFileName } from './receivedFile';
import type { IntakeOwner, PendingRequest } from './requestIntake';
import { closeAfterAnswer, type RequestWatch } from './requestWatch';
import { sendAnswer as answer } from './sendAnswer';
import type { WebhookEvent } from './webhookEvent';
import { errorText } from '../errorText';

/**
 * What happens once a request's body is in: decide the answer, store the
 * event, and only once it is written answer, so a 2xx always means "stored".
 * One per listener, shared by every request it receives; the listener owns
 * the server and the requests' lifecycle.
 */
export class AnswerPath implements IntakeOwner {
  /** The backstop of the listener's current run (set when it starts). */
  watch: RequestWatch | undefined;
  /** Events stored since the listener last started. */
  received = 0;
  /** ISO time of the last stored event. */
  lastEventAt: string | undefined;
  private readonly eventListeners = new Set<(event: WebhookEvent) => void>();
  /** Forwarding, answer rules and signature checks, when any is configured. */
  private readonly delivery: AppDelivery | undefined;
  /** Built once per change of the public URL, not per request. */
  private answerSettings: AnswerSettings | undefined;

  constructor(private readonly options: WebhookListenerOptions) {
    this.delivery = options.delivery
      ? new AppDelivery(options.delivery, { history: options.history, store: (event) => this.storeEvent(event), log: (level, message) => this.log(level, message) })
      : undefined;
  }

  /** Log sink (also used by the requests being received). */
  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  private get settings(): AnswerSettings {
    const publicUrl = this.options.publicUrl;
    if (!this.answerSettings || this.answerSettings.publicUrl !== publicUrl) {
      this.answerSettings = { answerStatus: this.options.answerStatus ?? listenerDefaults.answerStatus, publicUrl };
    }
    return this.answerSettings;
  }

  /** Called after each event was stored and answered. Returns an unsubscribe function. */
  onEvent(listener: (event: WebhookEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The listener stopped: no backstop any more; forwards in progress finish. */
  async stop(): Promise<void> {
    this.watch?.stop();
    await this.delivery?.stop();
  }

  /** The body is complete: decide, store, answer. Nothing a body holds can make this throw. */
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

  overLimit(pending: PendingRequest): void {
    this.tooLarge(pending, undefined);
  }

  /** The received file could not be written: answer 500 now (the provider retries) and record why. */
  spillFailed(pending: PendingRequest, err: Error, received: number): void {
    this.log('error', `Could not write a received file for ${pending.req.method ?? ''} ${pending.path}: ${err.message}`);
    this.storeAndAnswer(pending, decideBodyNotStored(pending.event(), received, err.message));
  }

  receivedFilePath(pending: PendingRequest): string {
    return join(this.options.receivedDir, receivedFileName(pending.id, new Date(pending.receivedAt), pending.path, pending.contentType));
  }

  /** The body is (or is declared) over the limit: answer 413 and record it. */
  tooLarge(pending: PendingRequest, declared: number | undefined): void {
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

