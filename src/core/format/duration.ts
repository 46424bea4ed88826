/**
 * The one place instants and durations are worded for people. Every function
 * takes any number or Date, Invalid Date and out-of-range values included, and
 * returns text: never a throw from `toISOString`.
 */

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * "40 s", "12 min", "23 h", "3 d", "5 months", "5 years": a duration rounded
 * down to the unit people would say, for lenses and messages. The sign is
 * ignored (callers say "ago" or "in").
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return 'forever';
  }
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  const min = Math.floor(s / 60);
  if (min < 60) {
    return `${min} min`;
  }
  const h = Math.floor(min / 60);
  if (h < 48) {
    return `${h} h`;
  }
  const d = Math.floor(h / 24);
  if (d < 60) {
    return `${d} d`;
  }
  // Average month and year lengths: good enough for "expired 5 years ago".
  if (d < 730) {
    return plural(Math.floor(d / 30.4375), 'month');
  }
  return plural(Math.floor(d / 365.25), 'year');
}

/** "expires in 23 h" / "expired 5 years ago" / "no expiry in the URL" (also for Invalid Date). */
export function describeExpiry(expiresAt: Date | undefined, now: number = Date.now()): string {
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
    return 'no expiry in the URL';
  }
  const left = expiresAt.getTime() - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", "5 years ago"; '' for no time or one that does not parse. */
export function formatAgo(iso: string | undefined, now: number = Date.now()): string {
  const then = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(then)) {
    return '';
  }
  const ms = Math.max(0, now - then);
  if (ms < 45_000) {
    return 'just now';
  }
  // Minutes round to the nearest (a download 90 s ago reads "2 min ago"); larger units round down.
  return ms < 3_600_000 ? `${Math.round(ms / 60_000)} min ago` : `${formatDuration(ms)} ago`;
}

/** "1 hour", "36 hours", "7 days", "90 seconds": an exact duration in whole seconds, in the largest unit that divides it. */
export function describeDuration(seconds: number): string {
  if (seconds % 86_400 === 0) {
    return plural(seconds / 86_400, 'day');
  }
  if (seconds % 3600 === 0) {
    return plural(seconds / 3600, 'hour');
  }
  if (seconds % 60 === 0) {
    return plural(seconds / 60, 'minute');
  }
  return plural(seconds, 'second');
}

/** An instant as `2026-11-25T13:00:00Z` (UTC, whole seconds): how warnings name instants. "an invalid date" for Invalid Date. */
export function formatInstant(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'an invalid date' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
