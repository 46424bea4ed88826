import * as assert from 'node:assert/strict';
import { errorText } from '../../../src/core/errorText';

describe('errorText', () => {
  it("is an Error's message, and anything else thrown as a string", () => {
    assert.equal(errorText(new TypeError('bad input')), 'bad input');
    assert.equal(errorText('plain text'), 'plain text');
    assert.equal(errorText(42), '42');
    assert.equal(errorText(undefined), 'undefined');
  });
});
