import * as assert from 'node:assert/strict';
import { maxJsonDepth, parseJsonBody } from '../../../../src/core/events';
import { tooDeepAt } from '../../../../src/core/events/eventJson';

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

describe('eventJson: the depth limit', () => {
  it('accepts JSON nested exactly to the limit and refuses one level more, at the opening bracket', () => {
    assert.equal(tooDeepAt(nested(maxJsonDepth)), undefined);
    assert.equal(tooDeepAt(nested(maxJsonDepth + 1)), maxJsonDepth);
    assert.equal(tooDeepAt(`{"a":${nested(maxJsonDepth, '{"b":', '}')}}`), maxJsonDepth * 5);
  });

  it('counts objects and arrays together, and ignores brackets inside strings', () => {
    const mixed = '[{'.repeat(300) + '}]'.repeat(300);
    assert.equal(tooDeepAt(mixed), maxJsonDepth);
    const inStrings = JSON.stringify({ note: '['.repeat(5000), other: '{'.repeat(5000), escaped: '\\"[[[' });
    assert.equal(tooDeepAt(inStrings), undefined);
    assert.equal(parseJsonBody(inStrings).ok, true);
  });

  it('finds a deep spot that comes after many shallow brackets', () => {
    const shallow = Array.from({ length: 2000 }, () => '[]').join(',');
    assert.equal(tooDeepAt(`[${shallow}]`), undefined);
    const text = `[${shallow},${nested(maxJsonDepth)}]`;
    assert.equal(tooDeepAt(text), 1 + shallow.length + 1 + maxJsonDepth - 1);
    const parsed = parseJsonBody(text);
    assert.equal(parsed.ok, false);
    assert.equal(!parsed.ok && parsed.error.reason, 'tooDeep');
  });
});
