import * as assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../../../../src/core/s3/connection';
import { explainS3Error, formatS3Error, parseS3ErrorBody } from '../../../../src/core/s3/s3Errors';
import { startLocalS3, type LocalS3 } from '../../../support/localS3';

describe('S3 error explanations (core/s3/s3Errors)', () => {
  describe('against the real answers of a SigV4-verifying local S3 server', () => {
    let s3: LocalS3;
    before(async () => {
      s3 = await startLocalS3(['bkt']);
    });
    after(async () => {
      await s3.close();
    });

    async function answer(url: string, init?: RequestInit): Promise<{ status: number; body: string }> {
      const res = await fetch(url, init);
      return { status: res.status, body: await res.text() };
    }

    it('NoSuchKey and NoSuchBucket are "notFound", naming the key or bucket', async () => {
      const client = createS3Client(s3.connection);
      const noKey = await answer(await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'missing.json' }), { expiresIn: 60 }));
      const r1 = explainS3Error(noKey.status, noKey.body, { operation: 'download' });
      assert.equal(r1.status, 404);
      assert.equal(r1.kind, 'notFound');
      assert.equal(r1.code, 'NoSuchKey');
      assert.match(r1.summary, /no object at this key \(missing\.json\)/);

      const noBucket = await answer(await getSignedUrl(client, new GetObjectCommand({ Bucket: 'nob', Key: 'k' }), { expiresIn: 60 }));
      const r2 = explainS3Error(noBucket.status, noBucket.body);
      assert.equal(r2.kind, 'notFound');
      assert.equal(r2.code, 'NoSuchBucket');
      assert.match(r2.summary, /bucket nob does not exist/);
    });

    it('an expired URL is "expired" and says when it expired', async () => {
      const client = createS3Client(s3.connection);
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }), {
        expiresIn: 1,
        signingDate: new Date(Date.now() - 3_600_000),
      });
      const { status, body } = await answer(url);
      const report = explainS3Error(status, body, { operation: 'download' });
      assert.equal(report.status, 403);
      assert.equal(report.kind, 'expired');
      assert.equal(report.code, 'AccessDenied');
      assert.equal(report.s3Message, 'Request has expired');
      assert.match(report.summary, /has expired at \d{4}-\d\d-\d\dT/);
    });

    it('a wrong Content-Type on an upload is a "signature" error that names the Content-Type', async () => {
      const client = createS3Client(s3.connection);
      const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'bkt', Key: 'a.json', ContentType: 'application/json' }), {
        expiresIn: 60,
        signableHeaders: new Set(['content-type']),
      });
      const { status, body } = await answer(url, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'text/plain' } });
      const upload = explainS3Error(status, body, { operation: 'upload' });
      assert.equal(upload.kind, 'signature');
      assert.equal(upload.code, 'SignatureDoesNotMatch');
      assert.match(upload.summary, /Content-Type/);
      assert.ok(upload.fields.StringToSign, 'keeps the other fields of the body');
      const download = explainS3Error(status, body, { operation: 'download' });
      assert.doesNotMatch(download.summary, /Content-Type/);
      assert.match(download.summary, /changed after signing/);
    });

    it('an unknown access key is "accessDenied" (InvalidAccessKeyId)', async () => {
      const client = createS3Client({ ...s3.connection, credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'x' } });
      const { status, body } = await answer(await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }), { expiresIn: 60 }));
      const report = explainS3Error(status, body);
      assert.equal(report.kind, 'accessDenied');
      assert.equal(report.code, 'InvalidAccessKeyId');
      assert.match(report.summary, /access key .* is unknown/);
    });

    it('X-Amz-Expires over a week is AuthorizationQueryParametersError, "badRequest"', async () => {
      const client = createS3Client(s3.connection);
      const url = (await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }), { expiresIn: 60 })).replace(
        'X-Amz-Expires=60',
        'X-Amz-Expires=604801',
      );
      const { status, body } = await answer(url);
      const report = explainS3Error(status, body);
      assert.equal(report.status, 400);
      assert.equal(report.code, 'AuthorizationQueryParametersError');
      assert.equal(report.kind, 'badRequest');
      assert.match(report.summary, /604800/);
    });
  });

  describe('bodies that a local server does not produce (texts from AWS)', () => {
    it('PermanentRedirect / AuthorizationHeaderMalformed name the bucket\'s region', () => {
      const body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region \'us-east-1\' is wrong; expecting \'eu-west-1\'</Message><Region>eu-west-1</Region><RequestId>R1</RequestId><HostId>H</HostId></Error>';
      const report = explainS3Error(400, body);
      assert.equal(report.kind, 'wrongRegion');
      assert.match(report.summary, /The bucket is in eu-west-1/);
      assert.match(report.hint ?? '', /eu-west-1/);
      assert.equal(report.requestId, 'R1');
    });

    it('ExpiredToken is "expired"; SlowDown is "throttled"; InternalError is "server"', () => {
      assert.equal(explainS3Error(400, '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>').kind, 'expired');
      assert.equal(explainS3Error(503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>').kind, 'throttled');
      assert.equal(explainS3Error(500, '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>').kind, 'server');
    });

    it('XML entities in messages are decoded', () => {
      const parsed = parseS3ErrorBody('<Error><Code>InvalidArgument</Code><Message>a &amp; b &lt;c&gt;</Message><ArgumentName>x-amz-acl</ArgumentName></Error>');
      assert.deepEqual(parsed, { code: 'InvalidArgument', message: 'a & b <c>', requestId: undefined, fields: { ArgumentName: 'x-amz-acl' } });
    });
  });

  describe('without a usable body, the status decides', () => {
    for (const [status, kind] of [
      [403, 'accessDenied'],
      [404, 'notFound'],
      [301, 'wrongRegion'],
      [405, 'badRequest'],
      [503, 'throttled'],
      [502, 'server'],
      [400, 'badRequest'],
    ] as const) {
      it(`${status} → ${kind}`, () => {
        for (const body of [undefined, '', 'not xml at all', '<html>Bad Gateway</html>', '<Error><Unclosed>']) {
          const report = explainS3Error(status, body);
          assert.equal(report.kind, kind);
          assert.equal(report.code, undefined);
          assert.ok(report.summary.length > 10);
        }
      });
    }
  });

  it('formats one line with S3\'s code, message and request id, and no URL', () => {
    const line = formatS3Error(
      explainS3Error(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2026-01-01T00:00:00Z</Expires><RequestId>ABC</RequestId></Error>'),
    );
    assert.equal(
      line,
      'The presigned URL has expired at 2026-01-01T00:00:00Z. Create a new presigned URL, with an expiry that covers the job and its retries. (S3: 403 AccessDenied: Request has expired; request id ABC)',
    );
  });
});
