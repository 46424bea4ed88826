import * as assert from 'node:assert/strict';
import { describeExpiry, formatAgo, formatDuration, formatInstant } from '../../../../src/core/format/duration';

describe('time formatter (core/format/duration)', () => {
  const now = Date.UTC(2026, 0, 1);

  it('words durations in the unit people use', () => {
    assert.equal(formatDuration(40_000), '40 s');
    assert.equal(formatDuration(23 * 3600e3), '23 h');
    assert.equal(formatDuration(5 * 366 * 86400e3), '5 years');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), 'forever');
  });

  it('"ago" from an ISO time; nothing for a time that does not parse', () => {
    assert.equal(formatAgo(new Date(now - 10_000).toISOString(), now), 'just now');
    assert.equal(formatAgo(new Date(now - 90_000).toISOString(), now), '2 min ago');
    assert.equal(formatAgo(new Date(now - 5 * 366 * 86400e3).toISOString(), now), '5 years ago');
    assert.equal(formatAgo('garbage', now), '');
  });

  it('Invalid Date is text, not a throw', () => {
    assert.equal(formatInstant(new Date(Number.NaN)), 'an invalid date');
    assert.equal(describeExpiry(new Date(Number.NaN), now), 'no expiry in the URL');
    assert.equal(formatInstant(new Date(now)), '2026-01-01T00:00:00Z');
  });
});
