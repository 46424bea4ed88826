import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VkConfirmationFields } from '../events/shapes/vkConfirmation';

/**
 * The four strings a VK Cloud / LinxCloud / Hotbox `SubscriptionConfirmation`
 * signature is computed from, byte for byte as the storage service sent them
 * (FORMATS.md §3).
 */
export interface ConfirmationFields {
  /** The URL exactly as registered in the bucket's notification configuration (the public address the service calls). */
  url: string;
  topicArn: string;
  timestamp: string;
  token: string;
}

/**
 * Computes the confirmation signature:
 *
 *     k1 = HMAC-SHA256(key = Token, message = Timestamp)
 *     k2 = HMAC-SHA256(key = k1,    message = TopicArn)
 *     signature = hex(HMAC-SHA256(key = k2, message = Url))
 *
 * The provider's documentation writes this as
 * `hmac_sha256_hex(Url, hmac_sha256(TopicArn, hmac_sha256(Timestamp, Token)))`
 * with the *message first and the key second*; the intermediate keys are raw
 * 32-byte digests, not hex. Returns 64 lower-case hex characters.
 */
export function confirmationSignature(fields: ConfirmationFields): string {
  const k1 = createHmac('sha256', Buffer.from(fields.token, 'utf8')).update(fields.timestamp, 'utf8').digest();
  const k2 = createHmac('sha256', k1).update(fields.topicArn, 'utf8').digest();
  return createHmac('sha256', k2).update(fields.url, 'utf8').digest('hex');
}

/**
 * True when `signature` (hex, either case, surrounding whitespace ignored) is the
 * confirmation signature of `fields`. Compares in constant time.
 */
export function verifyConfirmationSignature(fields: ConfirmationFields, signature: string): boolean {
  const given = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) {
    return false;
  }
  const expected = Buffer.from(confirmationSignature(fields), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** The confirmation request's fields other than the URL, which the request does not carry (read by `readVkConfirmation`). */
export type ConfirmationRequestFields = VkConfirmationFields;
