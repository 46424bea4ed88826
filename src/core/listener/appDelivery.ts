import { createReadStream } from 'node:fs';
import type * as http from 'node:http';
import { forwardOnce, forwardTarget, forwardWithRetries, type AppAnswer, type ForwardableRequest } from '../forward';
import { secretFor, startSignatureCheck, verdictText, type SignatureVerdict } from '../webhookSignatures';
import type { Answer, Decision } from './answerPolicy';
import type { DeliveryOptions } from './deliveryOptions';
import type { EventHistory } from './eventHistory';
import { relayAnswer, sendAnswer } from './sendAnswer';
import type { AppConfirmationCheck, WebhookEvent } from './webhookEvent';

/** What the delivery needs from the listener that owns it. */
export interface DeliveryOwner {
  readonly history: EventHistory;
  /** Appends the event; resolves once written (then the listener counts and announces it). */
  store(event: WebhookEvent): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** The most of an app's answer passed on to the provider in proxy mode. */
const relayLimit = 16 * 1024 * 1024;

/**
 * Testing a webhook handler: signature checks, the user's answer rules, and
 * forwarding each stored event to the app under test (store mode: after the
 * listener's answer, retrying while the app is down; proxy mode: the app's
 * answer goes to the provider). A failed check or forward never loses an
 * event: it is stored before anything else happens to it.
 */
export class AppDelivery {
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly options: DeliveryOptions,
    private readonly owner: DeliveryOwner,
  ) {}

  /**
   * Decides with rules and signatures, stores, answers, forwards. Never rejects.
   * `stored` runs once the store was attempted (the listener's backstop stops then:
   * a delay rule or the app's answer in proxy mode may take longer).
   */
  async deliver(res: http.ServerResponse, decided: Decision, raw: ForwardableRequest, after?: () => void, stored?: () => void): Promise<void> {
    const o = this.options;
    let event = decided.event;
    let answer: Answer = decided.answer;
    const secret = secretFor(o.signingSecrets ?? [], event.path);
    if (secret) {
      const verdict = await checkRequestSignature(secret.scheme, secret.secret, raw);
      event = { ...event, signature: verdict };
      if (verdict.result !== 'valid' && o.rejectBadSignatures) {
        const body = JSON.stringify({ error: `${verdictText(verdict)}${verdict.detail ? `: ${verdict.detail}` : ''}` });
        answer = { status: 401, body };
        event = { ...event, status: 401, answer: body };
      }
    }
    const confirmation = event.kind === 'vkConfirmation' || event.kind === 'snsSubscriptionConfirmation';
    const rule = o.answers?.take(event.path, { confirmation });
    if (rule) {
      const body = rule.status < 300 ? JSON.stringify({ received: event.id }) : JSON.stringify({ error: `answering ${rule.status} by rule ${rule.rule.text}` });
      answer = { status: rule.status, body };
      event = { ...event, status: rule.status, answer: body, answeredBy: rule.rule.text };
    }
    const target = o.forwardTo && !event.body.dropped ? forwardTarget(o.forwardTo, event.path, event.query) : undefined;
    const proxy = target !== undefined && o.answerMode === 'proxy' && !rule;
    if (proxy) {
      // The provider gets the app's answer, not the listener's: the listener's would-be answer is not recorded as given.
      const { answer: _notGiven, ...rest } = event;
      event = { ...rest, proxied: true };
    }
    try {
      await this.owner.store(event);
    } catch (err) {
      stored?.();
      this.owner.log('error', `Could not store event ${event.id}: ${(err as Error).message}`);
      sendAnswer(res, { status: 500, body: JSON.stringify({ error: 'the listener could not store the event' }), close: true });
      return;
    }
    stored?.();
    if (proxy) {
      await this.track(this.proxy(res, event, decided, raw, target));
      after?.();
      return;
    }
    if (rule && rule.delayMs > 0) {
      await delay(rule.delayMs, this.stopping.signal);
    }
    sendAnswer(res, answer);
    after?.();
    if (target) {
      void this.track(this.forwardInBackground(event, raw, target));
    }
  }

  /** Proxy mode: the app answers the provider; 502 when it does not. */
  private async proxy(res: http.ServerResponse, event: WebhookEvent, decided: Decision, raw: ForwardableRequest, target: string): Promise<void> {
    const result = await forwardOnce(raw, target, { relayLimit, timeoutMs: this.options.forwardTimeoutMs, signal: this.stopping.signal });
    const app = result.answer;
    let status: number;
    if (app.status !== undefined && result.relayBody) {
      status = app.status;
      relayAnswer(res, app.status, app.headers ?? {}, result.relayBody);
    } else {
      status = 502;
      sendAnswer(res, { status, body: JSON.stringify({ error: `the app did not answer: ${app.errorMessage ?? app.error ?? 'no answer'}` }) });
    }
    const check = event.kind === 'vkConfirmation' && decided.answer.status === 200 ? confirmationCheck(decided.answer.body, result.relayBody, app) : undefined;
    if (check && !check.correct) {
      this.owner.log('warn', `The app answered the confirmation ${event.id} with ${check.answered ?? 'no signature'}; expected ${check.expected}`);
    }
    await this.record(event, { forward: app, status, ...(check ? { appConfirmation: check } : {}) });
  }

  private async forwardInBackground(event: WebhookEvent, raw: ForwardableRequest, target: string): Promise<void> {
    const result = await forwardWithRetries(raw, target, {
      retryDelaysMs: this.options.forwardRetryDelaysMs,
      timeoutMs: this.options.forwardTimeoutMs,
      signal: this.stopping.signal,
      onRetry: (answer, ms) => this.owner.log('warn', `Forwarding ${event.id}: ${answer.errorMessage ?? answer.error ?? ''} Trying again in ${ms / 1000} s.`),
    });
    await this.record(event, { forward: result.answer });
  }

  private async record(event: WebhookEvent, patch: Pick<WebhookEvent, 'forward'> & Partial<Pick<WebhookEvent, 'status' | 'appConfirmation'>>): Promise<void> {
    try {
      await this.owner.history.update(event.id, patch);
    } catch (err) {
      this.owner.log('error', `Could not record the app's answer to ${event.id}: ${(err as Error).message}`);
    }
    this.options.onForwarded?.({ ...event, ...patch });
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((err: Error) => this.owner.log('error', `Forwarding failed: ${err.message}`)).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  /** Stops retrying and waits until every forward in progress has been recorded. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.running]);
  }
}

/** Checks a request's signature over its body (in memory, or read back from the received file). */
async function checkRequestSignature(scheme: Parameters<typeof startSignatureCheck>[0], secret: string, raw: ForwardableRequest): Promise<SignatureVerdict> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.rawHeaders.length; i += 2) {
    headers[raw.rawHeaders[i].toLowerCase()] ??= raw.rawHeaders[i + 1];
  }
  const check = startSignatureCheck(scheme, secret, headers);
  if (Buffer.isBuffer(raw.body)) {
    check.update(raw.body);
  } else {
    for await (const chunk of createReadStream(raw.body.file)) {
      check.update(chunk as Buffer);
    }
  }
  return check.finish();
}

/** Whether the app answered a VK confirmation with the signature the listener computed. */
function confirmationCheck(expectedBody: string, appBody: Buffer | undefined, app: AppAnswer): AppConfirmationCheck {
  const expected = (JSON.parse(expectedBody) as { signature: string }).signature;
  const text = appBody?.toString('utf8').trim();
  let answered: string | undefined;
  if (text) {
    try {
      const parsed = JSON.parse(text) as { signature?: unknown };
      answered = typeof parsed.signature === 'string' ? parsed.signature : text;
    } catch {
      answered = text;
    }
  }
  return { expected, ...(answered !== undefined ? { answered: answered.slice(0, 200) } : {}), correct: app.status === 200 && answered === expected };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
