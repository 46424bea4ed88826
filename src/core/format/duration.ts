/**
 * "40 s", "12 min", "23 h", "3 d", "5 months", "5 years": a duration rounded
 * down to the unit people would say, for lenses and messages. The sign is
 * ignored (callers say "ago" or "in").
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
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
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // Average month and year lengths: good enough for "expired 5 years ago".
  if (d < 730) {
    return plural(Math.floor(d / 30.4375), 'month');
  }
  return plural(Math.floor(d / 365.25), 'year');
}

/** "expires in 23 h" / "expired 5 years ago" / "no expiry in the URL". */
export function describeExpiry(expiresAt: Date | undefined, now: number = Date.now()): string {
  if (!expiresAt) {
    return 'no expiry in the URL';
  }
  const left = expiresAt.getTime() - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}
