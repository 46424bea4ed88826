import * as assert from 'node:assert/strict';
import { expandKeyTemplate, runValues } from '../../../../src/core/presign/keyTemplate';

describe('presign key templates', () => {
  it('expands run placeholders from the signing instant and id', () => {
    const values = runValues(new Date('2026-12-31T23:59:58.999Z'), 'abc');
    assert.deepEqual(values, { date: '2026-12-31', time: '235958', timestamp: '20261231T235958Z', id: 'abc', uuid: 'abc' });
    assert.equal(expandKeyTemplate('a/{date}/{id}-{uuid}', values), 'a/2026-12-31/abc-abc');
    assert.throws(() => expandKeyTemplate('a/{type}', values), /placeholder \{type\} has no value here/);
  });
});
