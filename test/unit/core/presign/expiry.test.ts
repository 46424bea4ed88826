import * as assert from 'node:assert/strict';
import { describeDuration, expiryProblem, parseExpiry } from '../../../../src/core/presign/expiry';

describe('presign expiry', () => {
  it('parses expiries as seconds or with a unit, and rejects the rest with a message', () => {
    assert.equal(parseExpiry('86400'), 86_400);
    assert.equal(parseExpiry(' 90m '), 5400);
    assert.equal(parseExpiry('36h'), 129_600);
    assert.equal(parseExpiry('7d'), 604_800);
    assert.equal(parseExpiry('1.5h'), 5400);
    assert.throws(() => parseExpiry('8d'), /at most 604800 seconds \(7 days\).*got 691200 \(8 days\)/);
    assert.throws(() => parseExpiry('0'), /at least 1 second/);
    assert.throws(() => parseExpiry('tomorrow'), /"tomorrow" is not an expiry: give seconds \(86400\) or a number with s, m, h or d/);
    assert.throws(() => parseExpiry('0.5s'), /whole number of seconds/);
    assert.equal(expiryProblem(604_800), undefined);
    assert.equal(describeDuration(3600), '1 hour');
    assert.equal(describeDuration(90), '90 seconds');
  });
});
