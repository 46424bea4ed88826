import * as assert from 'node:assert/strict';
import { encodeLine } from '../../../../src/core/listener/historyLines';

describe('history lines: encodeLine', () => {
  it('gives each line its exact UTF-8 bytes and a newline, and never overwrites a line given earlier', () => {
    // Enough lines to go through several shared buffers, with text that takes 1 to 4 bytes per character.
    const texts = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, text: `ascii é € 𝄞 ${'x'.repeat(i % 97)}` }));
    const lines = texts.map((text) => encodeLine(text));
    texts.forEach((text, i) => assert.deepEqual(lines[i], Buffer.from(`${text}\n`, 'utf8'), `line ${i}`));
  });

  it('encodes a line too long to share a buffer on its own', () => {
    const long = JSON.stringify({ text: 'ü'.repeat(20_000) });
    const before = encodeLine('{"a":1}');
    const line = encodeLine(long);
    assert.deepEqual(line, Buffer.from(`${long}\n`, 'utf8'));
    assert.deepEqual(before, Buffer.from('{"a":1}\n'));
  });
});
