import * as assert from 'node:assert/strict';
import { confirmationAnswer, readGivenSignature } from '../../../../src/core/confirmation/answer';

const hex = 'a'.repeat(64);

describe('confirmation answer (core/confirmation/answer)', () => {
  it('is built as {"signature":"<hex>"} and read back', () => {
    assert.equal(confirmationAnswer(hex), `{"signature":"${hex}"}`);
    assert.deepEqual(readGivenSignature(confirmationAnswer(hex)), { ok: true, signature: hex });
  });

  it('takes bare hex as given (trimmed), and the answer body with spaces, escapes or other fields', () => {
    assert.deepEqual(readGivenSignature(`  ${hex}\n`), { ok: true, signature: hex });
    assert.deepEqual(readGivenSignature(`{ "other": 1, "signature" : "${hex}" }`), { ok: true, signature: hex });
    // A regex over the text took the first "signature" it saw, even inside another string; a JSON reader does not.
    assert.deepEqual(readGivenSignature(`{"note":"\\"signature\\":\\"x\\"","signature":"\\u0061${'a'.repeat(63)}"}`), { ok: true, signature: hex });
  });

  it('says why JSON without a signature string is not one', () => {
    for (const text of ['{"signature":5}', '{"sig":"x"}', '{"signature":', '[1]', `${'['.repeat(10_000)}`]) {
      const read = readGivenSignature(text);
      assert.equal(read.ok, false, text.slice(0, 20));
      assert.match(!read.ok ? read.problem : '', /"signature"/);
    }
  });
});
