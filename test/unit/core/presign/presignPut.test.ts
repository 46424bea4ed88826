import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { curlCommand, genericUploadJson, PresignError, presignPut, presignPuts, type PresignPutRequest } from '../../../../src/core/presign/presignPut';
import { startLocalS3, type LocalS3 } from '../../../support/localS3';
import { rejectionOf } from '../../../support/rejection';

function flipSignature(url: string): string {
  return url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
}

const rejection = (promise: Promise<unknown>): Promise<PresignError> => rejectionOf(promise, PresignError);

describe('presigned PUT (core/presign/presignPut) against a SigV4-verifying local S3', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(['bkt']);
  });
  after(async () => {
    await s3.close();
  });

  const request = (over: Partial<PresignPutRequest> = {}): PresignPutRequest => ({
    bucket: 'bkt',
    key: 'results/analytics.json',
    contentType: 'application/json',
    expiresIn: 3600,
    ...over,
  });

  it('returns the URL, PUT, the signed Content-Type header and the exact expiry instant', async () => {
    const signingDate = new Date('2030-05-06T07:08:09.456Z');
    const { upload, warnings } = await presignPut(s3.connection, request({ signingDate, expiresIn: 7200 }), new Date('2030-05-06T07:00:00Z'));
    assert.equal(upload.method, 'PUT');
    assert.deepEqual(upload.headers, { 'Content-Type': 'application/json' });
    assert.equal(upload.signedAt.toISOString(), '2030-05-06T07:08:09.000Z');
    assert.equal(upload.expiresAt.toISOString(), '2030-05-06T09:08:09.000Z');
    const query = new URL(upload.url).searchParams;
    assert.equal(query.get('X-Amz-SignedHeaders'), 'content-type;host', 'the Content-Type must be signed');
    assert.equal(query.get('X-Amz-Expires'), '7200');
    assert.deepEqual(warnings, []);
    assert.deepEqual(genericUploadJson(upload), {
      url: upload.url,
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      expiresAt: '2030-05-06T09:08:09Z',
    });
  });

  it('accepts a PUT with the signed Content-Type, and the object then holds exactly the uploaded bytes', async () => {
    const { upload } = await presignPut(s3.connection, request({ key: 'exact/bytes.bin', contentType: 'application/octet-stream' }));
    const bytes = randomBytes(70_000);
    const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    assert.equal(res.status, 200, await res.text());
    const stored = await s3.readObject('exact/bytes.bin');
    assert.ok(stored.bytes.equals(bytes), 'stored bytes differ from the uploaded ones');
    assert.equal(stored.contentType, 'application/octet-stream');
  });

  it('refuses the same URL with another Content-Type, or none, with 403 SignatureDoesNotMatch', async () => {
    const { upload } = await presignPut(s3.connection, request({ key: 'typed.json' }));
    for (const headers of [{ 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/json; charset=utf-8' }, {}] as Record<string, string>[]) {
      const res = await fetch(upload.url, { method: 'PUT', headers, body: new TextEncoder().encode('{}') });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(await res.text(), /SignatureDoesNotMatch/);
    }
  });

  it('refuses a tampered signature with 403', async () => {
    const { upload } = await presignPut(s3.connection, request({ key: 'tampered.json' }));
    const res = await fetch(flipSignature(upload.url), { method: 'PUT', headers: upload.headers, body: '{}' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /SignatureDoesNotMatch/);
  });

  it('refuses the URL after its expiry with 403 "Request has expired"', async () => {
    const past = new Date(Date.now() - 2 * 3600_000);
    const { upload, warnings } = await presignPut(s3.connection, request({ key: 'late.json', expiresIn: 60, signingDate: past }));
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['alreadyExpired'],
    );
    const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: '{}' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Request has expired/);
  });

  it("expires on S3's clock, counted from the signing time: signed 20 s ago, a 30-second URL works and a 10-second one is refused", async () => {
    // Signed in the past instead of waiting for the clock: the server judges X-Amz-Date + X-Amz-Expires against its own time.
    const signingDate = new Date(Date.now() - 20_000);
    const { upload: live } = await presignPut(s3.connection, request({ key: 'short.json', expiresIn: 30, signingDate }));
    const first = await fetch(live.url, { method: 'PUT', headers: live.headers, body: '{"n":1}' });
    assert.equal(first.status, 200, await first.text());
    const { upload: expired } = await presignPut(s3.connection, request({ key: 'short.json', expiresIn: 10, signingDate }));
    const second = await fetch(expired.url, { method: 'PUT', headers: expired.headers, body: '{"n":2}' });
    assert.equal(second.status, 403);
    assert.match(await second.text(), /Request has expired/);
  });

  it('puts no x-amz-checksum / x-amz-sdk-checksum-algorithm parameters in any URL (a default SDK client would)', async () => {
    const defaultClient = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3.connection.credentials });
    const trap = await getSignedUrl(defaultClient, new PutObjectCommand({ Bucket: 'bkt', Key: 'k', ContentType: 'application/json' }), { expiresIn: 60 });
    defaultClient.destroy();
    assert.match(trap, /x-amz-checksum-crc32=|x-amz-sdk-checksum-algorithm=/i, 'this SDK no longer shows the trap; the guard below proves nothing');

    const { uploads } = await presignPuts(s3.connection, [
      request({ key: 'a.json' }),
      request({ key: 'b.bin', contentType: undefined }),
      request({ key: 'c.srt', contentType: 'text/srt' }),
    ]);
    for (const u of uploads) {
      assert.doesNotMatch(u.url, /x-amz-checksum|x-amz-sdk-checksum-algorithm/i);
    }
  });

  it('without a Content-Type, signs none: any type (or none) is accepted', async () => {
    const { upload } = await presignPut(s3.connection, request({ key: 'any.bin', contentType: undefined }));
    assert.deepEqual(upload.headers, {});
    assert.equal(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders'), 'host');
    for (const type of ['text/plain', 'image/png']) {
      const res = await fetch(upload.url, { method: 'PUT', headers: { 'Content-Type': type }, body: 'x' });
      assert.equal(res.status, 200);
    }
  });

  it('the curl command uploads a file with the signed Content-Type and the object holds its bytes', async function () {
    const { upload } = await presignPut(s3.connection, request({ key: "curl/it's here.json" }));
    const dir = await mkdtemp(join(tmpdir(), 's3-hooks-curl-'));
    try {
      const file = join(dir, 'result file.json');
      await writeFile(file, '{"from":"curl"}');
      const command = curlCommand(upload, file);
      assert.match(command, /^curl -sS --fail-with-body --globoff -w '%\{http_code\}\\n' -X PUT -H 'Content-Type: application\/json' --upload-file '/);
      const { execFile } = await import('node:child_process');
      const printed = await new Promise<string>((resolve, reject) =>
        execFile('sh', ['-c', command], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
      );
      assert.equal(printed, '200\n', 'curl prints the status');
      const stored = await s3.readObject("curl/it's here.json");
      assert.equal(stored.bytes.toString(), '{"from":"curl"}');
      assert.equal(stored.contentType, 'application/json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('rejects bad input before signing, with a message a user understands', () => {
    for (const [expiresIn, message] of [
      [0, /at least 1 second; got 0/],
      [-5, /at least 1 second/],
      [604_801, /at most 604800 seconds \(7 days\).*got 604801/],
      [1.5, /whole number of seconds/],
      [Number.NaN, /whole number of seconds/],
    ] as const) {
      it(`expiry ${expiresIn}`, async () => {
        const err = await rejection(presignPut(s3.connection, request({ expiresIn })));
        assert.equal(err.kind, 'badInput');
        assert.match(err.message, message);
      });
    }

    it('accepts the bounds 1 and 604800', async () => {
      for (const expiresIn of [1, 604_800]) {
        const { upload } = await presignPut(s3.connection, request({ expiresIn }));
        assert.equal(new URL(upload.url).searchParams.get('X-Amz-Expires'), String(expiresIn));
      }
    });

    for (const [bucket, message] of [
      ['', /Enter a bucket name/],
      ['ab', /3 to 63 characters/],
      ['a'.repeat(64), /3 to 63 characters/],
      ['My-Bucket', /lowercase: "my-bucket"\?/],
      ['my_bucket', /underscores/],
      ['-bucket', /begin and end with a letter or a digit/],
      ['bucket-', /begin and end/],
      ['my..bucket', /two dots in a row/],
      ['192.168.1.1', /IP address/],
      ['xn--bucket', /cannot start with "xn--"/],
      ['bucket-s3alias', /cannot end with "-s3alias"/],
      ['s3://bkt/some/key', /bucket name only \(for example "bkt"\), not an s3:\/\/ address/],
      ['https://bkt.s3.amazonaws.com', /not a URL/],
      ['bkt/folder', /cannot contain "\/".*only "bkt"/],
      ['bkt!', /"!" is not allowed/],
    ] as const) {
      it(`bucket "${bucket.length > 20 ? `${bucket.slice(0, 20)}…` : bucket}"`, async () => {
        const err = await rejection(presignPut(s3.connection, request({ bucket })));
        assert.equal(err.kind, 'badInput');
        assert.match(err.message, message);
      });
    }

    for (const [key, message] of [
      ['', /Enter an object key/],
      ['/leading.json', /no leading slash. Use "leading.json"/],
      ['a/../b.json', /"\." or "\.\." segment/],
      ['folder/', /names a folder/],
      ['line\nbreak', /control character/],
      ['k'.repeat(1025), /at most 1024 bytes/],
    ] as const) {
      it(`key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 20)}…` : key)}`, async () => {
        const err = await rejection(presignPut(s3.connection, request({ key })));
        assert.match(err.message, message);
      });
    }

    it('a Content-Type that is not type/subtype', async () => {
      const err = await rejection(presignPut(s3.connection, request({ contentType: 'json' })));
      assert.match(err.message, /"json" is not a Content-Type: use type\/subtype/);
    });

    it('an endpoint without a scheme, one that contains the bucket, and a region that contradicts an AWS endpoint', async () => {
      assert.match(
        (await rejection(presignPut({ ...s3.connection, endpoint: 'hb.bizmrg.com' }, request()))).message,
        /not a URL: write it with its scheme, for example https:\/\/hb\.bizmrg\.com/,
      );
      assert.match(
        (await rejection(presignPut({ ...s3.connection, endpoint: `${s3.endpoint}/bkt` }, request()))).message,
        /contains the bucket name/,
      );
      assert.match(
        (await rejection(presignPut({ region: 'us-east-1', endpoint: 'https://s3.eu-west-1.amazonaws.com', credentials: s3.connection.credentials }, request()))).message,
        /endpoint is in eu-west-1 but the region is us-east-1/,
      );
    });
  });

  describe('credentials', () => {
    const keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

    it('warns when temporary credentials expire before the URL, naming both instants and what to do', async () => {
      const signingDate = new Date('2031-01-01T00:00:00Z');
      const expiration = new Date('2031-01-01T01:00:00Z');
      const { warnings } = await presignPut(
        { ...s3.connection, credentials: { ...keys, sessionToken: 'session', expiration } },
        request({ expiresIn: 86_400, signingDate }),
        signingDate,
      );
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].code, 'temporaryCredentials');
      assert.match(warnings[0].message, /temporary credentials that expire at 2031-01-01T01:00:00Z/);
      assert.match(warnings[0].message, /URL's own expiry at 2031-01-02T00:00:00Z/);
      assert.match(warnings[0].message, /long-lived credentials .* or choose an expiry of at most 3600 seconds \(1 hour\)/);
    });

    it('does not warn when the credentials outlive the URL; warns when a session token has no known expiry', async () => {
      const signingDate = new Date('2031-01-01T00:00:00Z');
      const later = await presignPut(
        { ...s3.connection, credentials: { ...keys, sessionToken: 's', expiration: new Date('2031-01-03T00:00:00Z') } },
        request({ signingDate }),
        signingDate,
      );
      assert.deepEqual(later.warnings, []);
      const unknown = await presignPut({ ...s3.connection, credentials: { ...keys, sessionToken: 's' } }, request({ signingDate }), signingDate);
      assert.deepEqual(
        unknown.warnings.map((w) => w.code),
        ['sessionCredentials'],
      );
    });

    it('without credentials, fails with a "credentials" PresignError that names where it looked', async () => {
      const dir = await mkdtemp(join(tmpdir(), 's3-hooks-noaws-'));
      const saved = { ...process.env };
      try {
        await writeFile(join(dir, 'config'), '');
        await writeFile(join(dir, 'credentials'), '');
        for (const name of Object.keys(process.env).filter((n) => n.startsWith('AWS_'))) {
          delete process.env[name];
        }
        process.env.AWS_CONFIG_FILE = join(dir, 'config');
        process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
        process.env.AWS_EC2_METADATA_DISABLED = 'true';
        const err = await rejection(presignPut({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, profile: 'nobody' }, request()));
        assert.equal(err.kind, 'credentials');
        assert.match(err.message, /No usable AWS credentials from the AWS profile "nobody"/);
      } finally {
        for (const name of Object.keys(process.env)) {
          if (!(name in saved)) {
            delete process.env[name];
          }
        }
        Object.assign(process.env, saved);
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
