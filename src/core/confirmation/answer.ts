import { parseEventJson } from '../events/eventJson';
import { isObject } from '../events/shapes/fields';

/** The answer body a confirmation endpoint returns: `{"signature":"<hex>"}`. */
export function confirmationAnswer(signature: string): string {
  return JSON.stringify({ signature });
}

/** A signature as a user gave it, or why the text holds none. */
export type GivenSignature = { ok: true; signature: string } | { ok: false; problem: string };

/**
 * Reads a signature given to check: the answer body `{"signature":"…"}` (read
 * as JSON, the form {@link confirmationAnswer} writes), else the text itself,
 * trimmed (64 hex characters). Whether it matches is for the verifier to say.
 */
export function readGivenSignature(text: string): GivenSignature {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    return { ok: true, signature: trimmed };
  }
  const parsed = parseEventJson(trimmed);
  if (parsed.ok && isObject(parsed.value) && typeof parsed.value.signature === 'string') {
    return { ok: true, signature: parsed.value.signature };
  }
  const why = parsed.ok ? 'has no "signature" string' : `is not an answer body {"signature":"…"}: ${parsed.error.message}`;
  return { ok: false, problem: `The signature text ${why}` };
}
