import * as assert from 'node:assert/strict';
import type { S3Connection } from '../../../../src/core/s3/connection';
import { findPutUrls, type PutUrlSite } from '../../../../src/core/presign/callbackDocument';
import { callbackProblems, putLensTitle, resignEdits, resignRequest, setMethodPutEdit } from '../../../../src/core/presign/callbackProblems';
import { buildVoiceBaseCallbacks } from '../../../../src/core/presign/voicebase';
import { presignPut } from '../../../../src/core/presign/presignPut';

// Signing needs no server: static keys and a path-style endpoint, as the embedded S3 server uses.
const connection: S3Connection = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
};
const signedAt = new Date('2026-03-04T05:06:07Z');
const now = new Date('2026-03-04T06:06:07Z'); // an hour after signing

async function callbackDocument(): Promise<string> {
  const result = await buildVoiceBaseCallbacks(connection, {
    bucket: 'bkt',
    keyTemplate: 'vb/{id}/{name}.{ext}',
    analytics: {},
    transcriptFormats: ['srt'],
    expiresIn: 86_400,
    signingDate: signedAt,
    id: 'run1',
  });
  return JSON.stringify(result.json, null, 2);
}

function apply(text: string, edits: { offset: number; length: number; text: string }[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.text + t.slice(e.offset + e.length), text);
}

const codes = (site: PutUrlSite, at = now) => callbackProblems(site, { now: at }).map((p) => p.code);

describe('callback documents (core/presign/callbackDocument, callbackProblems)', () => {
  it('finds each callback URL with its span, label and the Content-Type VoiceBase sends; a fresh document has no problems', async () => {
    const text = await callbackDocument();
    const sites = findPutUrls(text);
    assert.deepEqual(
      sites.map((s) => [s.label, s.uploaderContentType, s.signedContentType, s.jsonPath.join('.')]),
      [
        ['analytics', 'application/json', 'application/json', 'publish.callbacks.0.url'],
        ['transcript (srt)', 'text/srt', 'text/srt', 'publish.callbacks.1.url'],
      ],
    );
    for (const s of sites) {
      assert.equal(JSON.parse(text.slice(s.span.offset, s.span.offset + s.span.length)), s.url);
      assert.deepEqual(codes(s), []);
    }
    assert.equal(putLensTitle(sites[1], now), 'Test upload · text/srt · expires in 23 h');
    assert.equal(putLensTitle(sites[1], new Date('2026-03-08T05:06:07Z')), 'Test upload · text/srt · expired 3 d ago');
  });

  it('ignores URLs that are not upload targets (an event that mentions a presigned GET URL), and text that is not JSON', async () => {
    const { upload } = await presignPut(connection, { bucket: 'bkt', key: 'a.json', expiresIn: 600, signingDate: signedAt });
    assert.deepEqual(findPutUrls(JSON.stringify({ presignedUrl: upload.url, file: { url: upload.url } })), []);
    assert.deepEqual(findPutUrls('not json {'), []);
  });

  it('expired, expiring soon, years ago: an error or a warning, fixed by re-signing', async () => {
    const [site] = findPutUrls(await callbackDocument());
    assert.deepEqual(codes(site, new Date('2026-03-05T05:00:00Z')), ['expiresSoon']);
    const expired = callbackProblems(site, { now: new Date('2031-04-01T00:00:00Z') });
    assert.deepEqual(
      expired.map((p) => [p.code, p.severity, p.fix]),
      [['expired', 'error', 'resign']],
    );
    assert.match(expired[0].message, /^Presigned URL expired 5 years ago \(at 2026-03-05T05:06:07Z\): S3 refuses every upload to it\./);
    assert.doesNotMatch(expired[0].message, /X-Amz|http/);
  });

  it('a callback whose format no longer matches the signed Content-Type is an error; re-signing asks for the right type and lifetime', async () => {
    const text = (await callbackDocument()).replace('"format": "srt"', '"format": "webvtt"');
    const site = findPutUrls(text)[1];
    const [problem] = callbackProblems(site, { now });
    assert.equal(problem.code, 'contentTypeMismatch');
    assert.equal(
      problem.message,
      "Content-Type text/srt is signed, but text/vtt is sent (the callback's type transcript (webvtt)): S3 refuses the upload (SignatureDoesNotMatch). Re-sign for text/vtt.",
    );
    assert.deepEqual(resignRequest(site, 3600), { bucket: 'bkt', key: 'vb/run1/transcript.srt', contentType: 'text/vtt', expiresIn: 86_400 });
    // Re-signed for text/vtt under the same .srt key: the signer's record, not the extension, says what it signs.
    const fresh = await presignPut(connection, { ...resignRequest(site, 3600)!, signingDate: now });
    const replaced = apply(text, resignEdits(site, fresh.upload.url, fresh.upload.expiresAt));
    assert.deepEqual(codes(findPutUrls(replaced)[1]), ['contentTypeMismatch'], 'the extension alone would still say text/srt');
    assert.deepEqual(codes(findPutUrls(replaced, (url) => (url === fresh.upload.url ? 'text/vtt' : undefined))[1]), []);
  });

  it('method not PUT or missing: an error whose fix writes "PUT"', async () => {
    const text = await callbackDocument();
    const posted = text.replace('"method": "PUT"', '"method": "POST"');
    const site = findPutUrls(posted)[0];
    assert.deepEqual(codes(site), ['methodNotPut']);
    assert.equal(findPutUrls(apply(posted, [setMethodPutEdit(site)]))[0].method, 'PUT');
    const missing = text.replace('"method": "PUT",', '');
    const bare = findPutUrls(missing)[0];
    assert.match(callbackProblems(bare, { now })[0].message, /^Method missing: VoiceBase then POSTs/);
    const fixed = JSON.parse(apply(missing, [setMethodPutEdit(bare)])) as { publish: { callbacks: { method: string }[] } };
    assert.equal(fixed.publish.callbacks[0].method, 'PUT');
  });

  it('the generic form: headers are what is sent; re-signing replaces the URL and expiresAt in place', async () => {
    const { upload } = await presignPut(connection, { bucket: 'bkt', key: 'up/a.vtt', contentType: 'text/vtt', expiresIn: 900, signingDate: signedAt });
    const doc = JSON.stringify({ url: upload.url, method: 'PUT', headers: { 'Content-Type': 'text/vtt' }, expiresAt: '2026-03-04T05:21:07Z' }, null, 2);
    const [site] = findPutUrls(doc);
    assert.equal(site.form, 'generic');
    assert.deepEqual(codes(site), ['expired']);
    assert.deepEqual(codes(findPutUrls(doc.replace(/"headers": \{[^}]*\}/, '"headers": {}'))[0]), ['expired', 'contentTypeMissing']);
    const fresh = await presignPut(connection, { ...resignRequest(site, 3600)!, signingDate: now });
    const replaced = JSON.parse(apply(doc, resignEdits(site, fresh.upload.url, fresh.upload.expiresAt))) as Record<string, string>;
    assert.equal(replaced.url, fresh.upload.url);
    assert.equal(replaced.expiresAt, '2026-03-04T06:21:07Z');
    assert.deepEqual(codes(findPutUrls(JSON.stringify(replaced))[0]), []);
  });

  it('SigV2 and temporary credentials: warnings, an error once the session is known to end first', async () => {
    const v2 = 'https://bkt.s3.amazonaws.com/vb/a.json?AWSAccessKeyId=AKIDEXAMPLE&Expires=1893456000&Signature=abc%3D';
    const [site] = findPutUrls(JSON.stringify({ publish: { callbacks: [{ url: v2, method: 'PUT', type: 'analytics' }] } }));
    assert.deepEqual(codes(site), ['sigV2']);
    const { upload } = await presignPut(
      { ...connection, credentials: { ...connection.credentials!, sessionToken: 'token' } },
      { bucket: 'bkt', key: 'vb/b.json', contentType: 'application/json', expiresIn: 86_400, signingDate: signedAt },
    );
    const [temp] = findPutUrls(JSON.stringify({ callbacks: [{ url: upload.url, method: 'PUT', type: 'analytics' }] }));
    assert.deepEqual(
      callbackProblems(temp, { now }).map((p) => [p.code, p.severity]),
      [['temporaryCredentials', 'warning']],
    );
    assert.deepEqual(
      callbackProblems(temp, { now, sessionExpiresAt: new Date('2026-03-04T12:00:00Z') }).map((p) => [p.code, p.severity]),
      [['temporaryCredentials', 'error']],
    );
  });
});
