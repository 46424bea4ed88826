import * as assert from 'node:assert/strict';
import { singleUploadKey } from '../../../../src/core/presign/singleUpload';

describe('presign single-URL keys', () => {
  it('single-URL keys: {ext} follows the Content-Type; a literal key passes unchanged', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    assert.equal(singleUploadKey('in/{date}/{id}/{name}.{ext}', 'text/vtt', at, 'x1'), 'in/2026-01-02/x1/upload.vtt');
    assert.equal(singleUploadKey('in/{name}.{ext}', undefined, at, 'x1'), 'in/upload.bin');
    assert.equal(singleUploadKey('plain/key.json', 'application/json', at, 'x1'), 'plain/key.json');
    assert.throws(() => singleUploadKey('{nope}', undefined, at, 'x1'), /Unknown placeholder \{nope\}/);
  });
});
