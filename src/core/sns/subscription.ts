import { confirmSnsSubscription, isSnsMessage, type SnsMessage, type SnsVerifyOptions } from './snsMessage';
import { errorText } from '../errorText';

/** What confirming needs from the event history: the stored message, and a place to record the outcome. */
export interface SubscriptionStore {
  get(id: string): { body: { text?: string }; sns?: { verified: boolean } } | undefined;
  annotateSns(id: string, sns: { verified: boolean; subscription: { confirmedAt?: string; subscriptionArn?: string; error?: string } }): Promise<void>;
}

export interface ConfirmSubscriptionOptions {
  /** The certificate and URL rules (the defaults are for real AWS). */
  sns?: SnsVerifyOptions;
  /** The message itself when the caller has it already parsed (the listener, right after verifying it). */
  message?: SnsMessage;
  log?: (level: 'info' | 'error', message: string) => void;
}

function storedMessage(text: string | undefined): SnsMessage | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isSnsMessage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Confirms an SNS subscription by fetching the SubscribeURL of a stored
 * `SubscriptionConfirmation` event, and records the outcome on the event. It
 * needs only the history, so it works with the listener stopped.
 */
export async function confirmStoredSubscription(
  store: SubscriptionStore,
  eventId: string,
  options: ConfirmSubscriptionOptions = {},
): Promise<{ subscriptionArn?: string }> {
  const log = options.log ?? (() => undefined);
  const event = store.get(eventId);
  const sns = options.message ?? storedMessage(event?.body.text);
  if (!sns || sns.Type !== 'SubscriptionConfirmation') {
    throw new Error('This event is not an SNS subscription confirmation.');
  }
  try {
    const result = await confirmSnsSubscription(sns, options.sns);
    await store.annotateSns(eventId, {
      verified: event?.sns?.verified ?? true,
      subscription: { confirmedAt: new Date().toISOString(), subscriptionArn: result.subscriptionArn },
    });
    log('info', `SNS subscription to ${sns.TopicArn} confirmed${result.subscriptionArn ? ` (${result.subscriptionArn})` : ''}`);
    return result;
  } catch (err) {
    const message = errorText(err);
    await store.annotateSns(eventId, { verified: event?.sns?.verified ?? false, subscription: { error: message } }).catch(() => undefined);
    log('error', `SNS subscription to ${sns.TopicArn} not confirmed: ${message}`);
    throw err;
  }
}
