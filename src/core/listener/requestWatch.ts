import type * as http from 'node:http';
import { answeredLate, lateAnswer } from './answerPolicy';
import { bodyTooSlow, type BodyPace, type PendingRequest } from './requestIntake';
import { sendAnswer } from './sendAnswer';
import type { WebhookEvent } from './webhookEvent';

export interface WatchLimits extends BodyPace {
  /** Once a body has arrived, the longest it may wait to be stored before the sender is answered 503. */
  answerDeadlineMs: number;
}

/**
 * The listener's clock-driven guarantees, checked a few times a second rather
 * than with a timer per request: bodies that arrive too slowly are cut (408),
 * and a request whose body has arrived but whose event is not stored by its
 * deadline is answered 503 so that the sender retries.
 */
export class RequestWatch {
  /** Requests whose body is still arriving. */
  private readonly receiving = new Set<PendingRequest>();
  /**
   * Requests whose body has arrived and whose event is not stored yet. Held
   * by the request object itself: a map keyed by the event id hashed a new
   * string on every request. Answered ones are also dropped by the sweep.
   */
  private readonly awaitingStore = new Set<PendingRequest>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limits: WatchLimits,
    private readonly log: (level: 'warn', message: string) => void,
  ) {
    this.timer = setInterval(() => this.sweep(Date.now()), Math.max(50, Math.min(500, limits.answerDeadlineMs / 4)));
    this.timer.unref();
  }

  bodyStarted(pending: PendingRequest): void {
    this.receiving.add(pending);
  }

  bodyArrived(pending: PendingRequest): void {
    // Dropped now, not at the next sweep: a set holding every request of the last half second keeps
    // thousands of requests alive under load, and the garbage collector copies them all.
    this.receiving.delete(pending);
    pending.answerBy = Date.now() + this.limits.answerDeadlineMs;
    this.awaitingStore.add(pending);
  }

  /** The event was stored (or could not be, and was answered so): no backstop needed. */
  stored(pending: PendingRequest): void {
    this.awaitingStore.delete(pending);
  }

  /** The event as stored after the backstop answered in its place. */
  answeredLate(event: WebhookEvent): WebhookEvent {
    return answeredLate(event, lateAnswer(this.limits.answerDeadlineMs), this.limits.answerDeadlineMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.receiving.clear();
    this.awaitingStore.clear();
  }

  private sweep(now: number): void {
    for (const pending of this.receiving) {
      if (pending.finished) {
        this.receiving.delete(pending);
      } else if (!pending.waitingOnDisk) {
        const reason = bodyTooSlow(pending.progress, now, this.limits);
        if (reason) {
          this.receiving.delete(pending);
          pending.abandon();
          this.log('warn', `${pending.req.method ?? ''} ${pending.path}: ${reason}; answered 408, nothing stored`);
          sendAnswer(pending.res, { status: 408, body: JSON.stringify({ error: `${reason}; send it again, faster` }), close: true });
          closeAfterAnswer(pending.req);
        }
      }
    }
    for (const pending of this.awaitingStore) {
      if (pending.res.headersSent) {
        this.awaitingStore.delete(pending);
      } else if (pending.answerBy <= now) {
        this.awaitingStore.delete(pending);
        this.log('warn', `${pending.req.method ?? ''} ${pending.path}: not stored within ${this.limits.answerDeadlineMs} ms; answered 503 so that the sender retries`);
        sendAnswer(pending.res, lateAnswer(this.limits.answerDeadlineMs));
      }
    }
  }
}

/** Closes a connection shortly after its answer: the client may still be sending a body we refused, and should see the answer. */
export function closeAfterAnswer(req: http.IncomingMessage): void {
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 2000);
  timer.unref();
  req.socket.once('close', () => clearTimeout(timer));
}
