import * as assert from 'node:assert/strict';
import { expiryArgument, signingDateArgument, singleUploadFromArgs, voiceBaseFromArgs } from '../../../../src/core/presign/commandArgs';

const defaults = { bucket: 'from-settings', keyTemplate: 's3-hooks/{date}/{id}/{name}.{ext}', expiresIn: 3600 };

describe('presign argument objects (shared by the commands and the CLI)', () => {
  it('takes expiries as seconds or durations, and the fallback when absent', () => {
    assert.equal(expiryArgument(undefined, 3600), 3600);
    assert.equal(expiryArgument(900, 3600), 900);
    assert.equal(expiryArgument('36h', 3600), 129_600);
    assert.throws(() => expiryArgument('8d', 3600), (err: Error) => err.name === 'PresignError' && /at most 604800 seconds/.test(err.message));
  });

  it('takes only ISO 8601 date-times as signing dates', () => {
    assert.equal(signingDateArgument(undefined), undefined);
    assert.equal(signingDateArgument('2026-03-04T05:06:07Z')?.toISOString(), '2026-03-04T05:06:07.000Z');
    // new Date() reads these, but in the local time zone or as a guess: refused on both front ends.
    for (const loose of ['2026-03-04', 'March 4, 2026', 'yesterday']) {
      assert.throws(() => signingDateArgument(loose), /is not an ISO 8601 instant \(for example 2026-01-01T00:00:00Z\)/, loose);
    }
  });

  it('fills what an argument object leaves out from the defaults', () => {
    assert.deepEqual(singleUploadFromArgs({ contentType: '' }, defaults), {
      bucket: 'from-settings',
      key: defaults.keyTemplate,
      contentType: undefined,
      expiresIn: 3600,
      signingDate: undefined,
      id: undefined,
    });
    const vb = voiceBaseFromArgs({ bucket: 'b', key: 'k/{name}.{ext}', analytics: { include: ['metadata'] }, transcript: ['srt'], role: '' }, defaults);
    assert.equal(vb.keyTemplate, 'k/{name}.{ext}', 'key stands in for keyTemplate');
    assert.deepEqual(vb.analytics, { include: ['metadata'] });
    assert.equal(vb.role, undefined);
    assert.deepEqual(voiceBaseFromArgs({ analytics: true }, defaults).analytics, { include: undefined });
  });
});
