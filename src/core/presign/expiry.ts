import { describeDuration } from '../format/duration';

// Worded by the one time formatter; re-exported because presign callers take them from here.
export { describeDuration, formatInstant } from '../format/duration';

/** SigV4 presigned URLs live at most 7 days (`X-Amz-Expires` ≤ 604800). */
export const maxExpirySeconds = 604_800;

/**
 * VoiceBase retries a failed delivery 7 times over about 16 hours (FORMATS.md
 * §1); a callback URL that dies sooner loses the later retries.
 */
export const vendorRetryWindowSeconds = 16 * 3600;

/** The presets the pickers offer, in order. */
export const expiryPresets: readonly { seconds: number; label: string }[] = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: maxExpirySeconds, label: '7 days' },
];

/**
 * Why an expiry (seconds) cannot be used for a presigned URL; undefined when it
 * is a whole number from 1 to 604800.
 */
export function expiryProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || !Number.isInteger(seconds)) {
    return `The expiry must be a whole number of seconds; got ${String(seconds)}.`;
  }
  if (seconds < 1) {
    return `The expiry must be at least 1 second; got ${seconds}.`;
  }
  if (seconds > maxExpirySeconds) {
    return `The expiry can be at most 604800 seconds (7 days), the limit of SigV4 presigned URLs; got ${seconds} (${describeDuration(seconds)}).`;
  }
  return undefined;
}

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parses an expiry as typed by a user: seconds (`86400`) or a number with a
 * unit (`90m`, `36h`, `7d`). Throws a RangeError with a user-level message when
 * the text is not a duration or is out of range.
 */
export function parseExpiry(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(text);
  if (!m) {
    throw new RangeError(`"${text}" is not an expiry: give seconds (86400) or a number with s, m, h or d (36h, 7d).`);
  }
  const seconds = Number(m[1]) * unitSeconds[(m[2] || 's').toLowerCase()];
  const problem = expiryProblem(seconds);
  if (problem) {
    throw new RangeError(problem);
  }
  return seconds;
}
