import type { AnswerRules } from '../answerRules/answerRules';
import type { SigningSecret } from '../webhookSignatures';
import type { WebhookEvent } from './webhookEvent';

/** Who answers the provider when events are forwarded: the listener (`store`) or the app (`proxy`). */
export type AnswerMode = 'store' | 'proxy';

export const answerModes: readonly AnswerMode[] = ['store', 'proxy'];

/**
 * What the listener does for testing a webhook handler: forward each event to
 * the app, answer with rules the user chose, check senders' signatures.
 */
export interface DeliveryOptions {
  /** The app under test, e.g. `http://localhost:3000/webhooks`; each request's path is appended. */
  forwardTo?: string;
  /** `store` (default): the listener answers, then forwards (retrying while the app is down). `proxy`: the provider gets the app's answer, 502 when there is none. */
  answerMode?: AnswerMode;
  answers?: AnswerRules;
  signingSecrets?: readonly SigningSecret[];
  /** Answer 401 when a signature check fails (the event is stored either way). */
  rejectBadSignatures?: boolean;
  /** Waits between forwarding attempts while the app refuses connections (store mode). */
  forwardRetryDelaysMs?: readonly number[];
  forwardTimeoutMs?: number;
  /** Called once the app's answer (or the failure) was recorded on the event. */
  onForwarded?: (event: WebhookEvent) => void;
}
