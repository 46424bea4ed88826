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
  /**
   * Every request watched, at the slot it was given ({@link PendingRequest.watchSlot}):
   * receiving its body (`answerBy` 0), then waiting to be stored. A freed slot
   * is cleared and reused, so the array only grows to the most requests open
   * at once. Not a Set: a Set that gains and loses an entry per request is
   * rebuilt every few hundred requests, and each discarded table points at
   * its successor and still at its entries, so under load every request's
   * objects (request, response, body) outlived a few garbage collections and
   * were copied by each (measured: 1.5 MB copied per young collection, down to
   * under 0.1 MB with slots).
   */
  private readonly slots: (PendingRequest | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limits: WatchLimits,
    private readonly log: (level: 'warn', message: string) => void,
  ) {
    this.timer = setInterval(() => this.sweep(Date.now()), Math.max(50, Math.min(500, limits.answerDeadlineMs / 4)));
    this.timer.unref();
  }

  /** Requests watched now (receiving, or waiting to be stored). */
  get size(): number {
    return this.slots.length - this.freeSlots.length;
  }

  bodyStarted(pending: PendingRequest): void {
    if (pending.watchSlot >= 0) {
      return;
    }
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
    this.slots[slot] = pending;
    pending.watchSlot = slot;
  }

  /** From now on the request's answer is due by the deadline. */
  bodyArrived(pending: PendingRequest): void {
    pending.answerBy = Date.now() + this.limits.answerDeadlineMs;
  }

  /** The event was stored (or could not be, and was answered so): no backstop needed. */
  stored(pending: PendingRequest): void {
    this.release(pending);
  }

  /** The event as stored after the backstop answered in its place. */
  answeredLate(event: WebhookEvent): WebhookEvent {
    return answeredLate(event, lateAnswer(this.limits.answerDeadlineMs), this.limits.answerDeadlineMs);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const pending of this.slots) {
      if (pending) {
        pending.watchSlot = -1;
      }
    }
    this.slots.length = 0;
    this.freeSlots.length = 0;
  }

  private release(pending: PendingRequest): void {
    const slot = pending.watchSlot;
    if (slot >= 0 && this.slots[slot] === pending) {
      this.slots[slot] = undefined;
      this.freeSlots.push(slot);
    }
    pending.watchSlot = -1;
  }

  private sweep(now: number): void {
    for (const pending of this.slots) {
      if (!pending) {
        continue;
      }
      if (pending.answerBy === 0) {
        this.checkPace(pending, now);
      } else if (pending.res.headersSent) {
        this.release(pending);
      } else if (pending.answerBy <= now) {
        this.release(pending);
        this.log('warn', `${pending.req.method ?? ''} ${pending.path}: not stored within ${this.limits.answerDeadlineMs} ms; answered 503 so that the sender retries`);
        sendAnswer(pending.res, lateAnswer(this.limits.answerDeadlineMs));
      }
    }
  }

  /** A body still arriving: cut it (408) when it comes too slowly. */
  private checkPace(pending: PendingRequest, now: number): void {
    if (pending.finished) {
      this.release(pending);
      return;
    }
    if (pending.waitingOnDisk) {
      return;
    }
    const reason = bodyTooSlow(pending.progress, now, this.limits);
    if (reason) {
      this.release(pending);
      pending.abandon();
      this.log('warn', `${pending.req.method ?? ''} ${pending.path}: ${reason}; answered 408, nothing stored`);
      sendAnswer(pending.res, { status: 408, body: JSON.stringify({ error: `${reason}; send it again, faster` }), close: true });
      closeAfterAnswer(pending.req);
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
