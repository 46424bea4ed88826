import * as assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../../src/core/s3/connection';
import { startLocalS3, type LocalS3 } from '../support/localS3';

// Guards the test harness itself: the local S3 server must reject bad signatures,
// or every signing test built on it would prove nothing.
describe('local S3 test server', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(['bkt']);
  });
  after(async () => {
    await s3.close();
  });

  it('accepts a valid presigned PUT and GET, and refuses a tampered signature with SignatureDoesNotMatch', async () => {
    const client = createS3Client(s3.connection);
    const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'bkt', Key: 'a.txt' }), { expiresIn: 60 });
    const ok = await fetch(put, { method: 'PUT', body: 'hello' });
    assert.equal(ok.status, 200);
    const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'a.txt' }), { expiresIn: 60 });
    assert.equal(await (await fetch(get)).text(), 'hello');
    const tampered = get.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    const bad = await fetch(tampered);
    assert.equal(bad.status, 403);
    assert.match(await bad.text(), /SignatureDoesNotMatch/);
  });
});
