import { isObject } from './fields';

/** The signed fields of a VK Cloud / LinxCloud / Hotbox `SubscriptionConfirmation` other than the URL, which the request does not carry. */
export interface VkConfirmationFields {
  topicArn: string;
  timestamp: string;
  token: string;
}

/**
 * Reads `TopicArn`, `Timestamp` and `Token` from a VK-style confirmation body
 * (already parsed JSON). Field names are matched exactly first, then
 * case-insensitively. Values must be strings (they are signed byte for byte, so
 * nothing is converted). Returns a list of what is missing instead when
 * something is.
 */
export function readVkConfirmation(body: unknown): { fields: VkConfirmationFields } | { missing: string[] } {
  if (!isObject(body)) {
    return { missing: ['TopicArn', 'Timestamp', 'Token'] };
  }
  const pick = (name: string): string | undefined => {
    if (typeof body[name] === 'string') {
      return body[name];
    }
    const lower = name.toLowerCase();
    const key = Object.keys(body).find((k) => k.toLowerCase() === lower);
    return key !== undefined && typeof body[key] === 'string' ? body[key] : undefined;
  };
  const topicArn = pick('TopicArn');
  const timestamp = pick('Timestamp');
  const token = pick('Token');
  if (topicArn === undefined || timestamp === undefined || token === undefined) {
    const missing = [
      ...(topicArn === undefined ? ['TopicArn'] : []),
      ...(timestamp === undefined ? ['Timestamp'] : []),
      ...(token === undefined ? ['Token'] : []),
    ];
    return { missing };
  }
  return { fields: { topicArn, timestamp, token } };
}

/**
 * Whether a body claims to be a subscription confirmation: `Type` says so, or
 * (when the body has no `Type`) the `x-amz-sns-message-type` header does.
 */
export function claimsConfirmation(body: unknown, messageTypeHeader?: string): boolean {
  if (!isObject(body)) {
    return false;
  }
  const type = typeof body.Type === 'string' ? body.Type : typeof body.Type === 'number' ? String(body.Type) : messageTypeHeader;
  return type === 'SubscriptionConfirmation';
}
