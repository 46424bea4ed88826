import * as assert from 'node:assert/strict';
import { describeExpiry } from '../../../../src/core/format/duration';
import { inspectPresignedUrl, isPresignedUrl } from '../../../../src/core/url/presignedUrl';

describe('URL inspector', () => {
  const v4 =
    'https://s3.eu-central-1.amazonaws.com/my-bucket/dir/a%2Bb.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Feu-central-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20240101T120000Z&X-Amz-Expires=7200&X-Amz-Security-Token=SESSIONTOKEN&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=deadbeef';

  it('SigV4: path style, region from credential scope, signed headers, expiry = X-Amz-Date + X-Amz-Expires, redacted', () => {
    const info = inspectPresignedUrl(v4)!;
    assert.equal(info.signatureVersion, 'v4');
    assert.equal(info.addressing, 'path');
    assert.equal(info.bucket, 'my-bucket');
    assert.equal(info.key, 'dir/a+b.txt');
    assert.equal(info.region, 'eu-central-1');
    assert.deepEqual(info.signedHeaders, ['content-type', 'host']);
    assert.equal(info.signedAt?.toISOString(), '2024-01-01T12:00:00.000Z');
    assert.equal(info.expiresInSeconds, 7200);
    assert.equal(info.expiresAt?.toISOString(), '2024-01-01T14:00:00.000Z');
    assert.equal(info.hasSecurityToken, true);
    for (const secret of ['deadbeef', 'SESSIONTOKEN', 'AKIDEXAMPLE']) {
      assert.ok(!info.redacted.includes(secret), `${secret} must be redacted`);
    }
  });

  it('SigV2: virtual-hosted, Expires in Unix seconds', () => {
    const info = inspectPresignedUrl('https://b.s3.amazonaws.com/k.txt?AWSAccessKeyId=AKID&Expires=1700000000&Signature=sig')!;
    assert.equal(info.signatureVersion, 'v2');
    assert.equal(info.bucket, 'b');
    assert.equal(info.key, 'k.txt');
    assert.equal(info.expiresAt?.getTime(), 1700000000 * 1000);
  });

  it('virtual-hosted with dash region and custom path-style endpoints', () => {
    assert.equal(inspectPresignedUrl('https://b.s3-us-west-2.amazonaws.com/k?X-Amz-Signature=x')?.region, 'us-west-2');
    const local = inspectPresignedUrl('http://127.0.0.1:9000/demo-bucket/sub/file.bin?X-Amz-Signature=x')!;
    assert.equal(local.bucket, 'demo-bucket');
    assert.equal(local.key, 'sub/file.bin');
  });

  it('isPresignedUrl: only http(s) URLs with a signature; Signature without Expires is not SigV2', () => {
    assert.equal(isPresignedUrl(v4), true);
    assert.equal(isPresignedUrl('ftp://x/y?X-Amz-Signature=1'), false);
    assert.equal(isPresignedUrl('https://example.com/?Signature=1'), false);
    assert.equal(isPresignedUrl('hello'), false);
  });

  it('describeExpiry: "expires in 3 h" / "expired 2 h ago"', () => {
    const now = Date.parse('2024-01-01T12:00:00Z');
    assert.equal(describeExpiry(new Date(now + 3 * 3600e3 + 5000), now), 'expires in 3 h');
    assert.equal(describeExpiry(new Date(now - 2 * 3600e3 - 1), now), 'expired 2 h ago');
    assert.equal(describeExpiry(new Date(now + 90e3), now), 'expires in 1 min');
    assert.equal(describeExpiry(undefined, now), 'no expiry in the URL');
  });
});
