import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { contentTypeFor, deliveryFormats, mediaStreams, transcriptFormats } from '../../../../src/core/presign/contentTypes';
import { PresignError } from '../../../../src/core/presign/presignPut';
import { buildVoiceBaseCallbacks, type VoiceBaseCallbackOptions } from '../../../../src/core/presign/voicebase';
import { startLocalS3, type LocalS3 } from '../../../support/localS3';
import { rejectionOf } from '../../../support/rejection';

const root = join(__dirname, '..', '..', '..', '..');

// The vendor's schema as the extension contributes it (schemas/), so the builder and the editor agree.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false });
ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'errorMessage']);
const validateCallbacks = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', 'voicebase-callbacks.schema.json'), 'utf8')) as object);

const rejection = (promise: Promise<unknown>): Promise<PresignError> => rejectionOf(promise, PresignError);

describe('VoiceBase v3 callbacks (core/presign/voicebase)', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3(['bkt']);
  });
  after(async () => {
    await s3.close();
  });

  const options = (over: Partial<VoiceBaseCallbackOptions> = {}): VoiceBaseCallbackOptions => ({
    bucket: 'bkt',
    keyTemplate: 'vb/{date}/{id}/{name}.{ext}',
    analytics: {},
    expiresIn: 86_400,
    ...over,
  });

  it('the Content-Type table is FORMATS.md §1', () => {
    assert.deepEqual(
      deliveryFormats.map((f) => [f.type, f.variant ?? '–', f.contentType]),
      [
        ['analytics', '–', 'application/json'],
        ['transcript', 'text', 'text/plain'],
        ['transcript', 'json', 'application/json'],
        ['transcript', 'srt', 'text/srt'],
        ['transcript', 'dfxp', 'application/ttaf+xml'],
        ['transcript', 'webvtt', 'text/vtt'],
        ['media', 'original', 'application/octet-stream'],
        ['media', 'redacted-audio', 'application/octet-stream'],
      ],
    );
  });

  it('gives every type and format its own URL signing its Content-Type; each accepts exactly that type and stores it', async () => {
    const result = await buildVoiceBaseCallbacks(
      s3.connection,
      options({ transcriptFormats: [...transcriptFormats], mediaStreams: [...mediaStreams], id: 'job-1' }),
    );
    assert.equal(result.callbacks.length, 1 + transcriptFormats.length + mediaStreams.length);
    assert.equal(new Set(result.callbacks.map((c) => c.key)).size, result.callbacks.length, 'keys must not collide');
    for (const c of result.callbacks) {
      const cb = c.callback;
      const expected = contentTypeFor(cb.type, cb.format ?? cb.stream);
      assert.deepEqual(c.upload.headers, { 'Content-Type': expected }, c.label);
      assert.equal(new URL(cb.url).searchParams.get('X-Amz-SignedHeaders'), 'content-type;host', c.label);
      assert.doesNotMatch(cb.url, /x-amz-checksum|x-amz-sdk-checksum-algorithm/i);
      assert.ok(c.key.endsWith(`.${c.format.extension}`), `${c.key} should end with .${c.format.extension}`);

      const wrong = expected === 'text/plain' ? 'application/json' : 'text/plain';
      const refused = await fetch(cb.url, { method: cb.method, headers: { 'Content-Type': wrong }, body: 'x' });
      assert.equal(refused.status, 403, `${c.label} accepted ${wrong}`);
      await refused.body?.cancel();

      const res = await fetch(cb.url, { method: cb.method, headers: { 'Content-Type': expected }, body: `result of ${c.label}` });
      assert.equal(res.status, 200, `${c.label}: ${await res.text()}`);
      const object = await s3.readObject(c.key);
      assert.equal(object.text, `result of ${c.label}`);
      assert.equal(object.contentType, expected);
    }
  });

  it('holds only fields the vendor accepts, in its order, and validates against the contributed schema', async () => {
    const role = 'arn:aws:iam::123456789012:role/s3-delivery-role';
    const result = await buildVoiceBaseCallbacks(
      s3.connection,
      options({ analytics: { include: ['metadata', 'spotting'] }, transcriptFormats: ['srt'], mediaStreams: ['original'], role }),
    );
    assert.ok(validateCallbacks(result.json), JSON.stringify(validateCallbacks.errors));
    assert.deepEqual(Object.keys(result.json), ['publish']);
    assert.deepEqual(Object.keys(result.json.publish), ['callbacks']);
    const [analytics, transcript, media] = result.json.publish.callbacks;
    assert.deepEqual(Object.keys(analytics), ['url', 'method', 'type', 'include', 'role']);
    assert.deepEqual(analytics.include, ['metadata', 'spotting']);
    assert.deepEqual(Object.keys(transcript), ['url', 'method', 'type', 'format', 'role']);
    assert.equal(transcript.format, 'srt');
    assert.deepEqual(Object.keys(media), ['url', 'method', 'type', 'stream', 'role']);
    assert.equal(media.stream, 'original');
    for (const cb of result.json.publish.callbacks) {
      assert.equal(cb.method, 'PUT');
      assert.equal(cb.role, role);
    }
  });

  it('uses the vendor example\'s analytics sections by default and omits role unless given', async () => {
    const result = await buildVoiceBaseCallbacks(s3.connection, options());
    assert.deepEqual(result.json.publish.callbacks[0].include, ['transcript', 'knowledge', 'metadata', 'prediction', 'streams']);
    assert.equal('role' in result.json.publish.callbacks[0], false);
  });

  it('expands the key template: date from the signing date, one id for the run, a name per callback', async () => {
    const signingDate = new Date('2030-02-03T04:05:06Z');
    const result = await buildVoiceBaseCallbacks(
      s3.connection,
      options({ signingDate, keyTemplate: 'r/{date}/{time}/{timestamp}/{uuid}/{type}-{format}/{name}.{ext}', transcriptFormats: ['text', 'dfxp'], mediaStreams: ['redacted-audio'] }),
    );
    assert.match(result.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      result.callbacks.map((c) => c.key),
      [
        `r/2030-02-03/040506/20300203T040506Z/${result.id}/analytics-json/analytics.json`,
        `r/2030-02-03/040506/20300203T040506Z/${result.id}/transcript-text/transcript.txt`,
        `r/2030-02-03/040506/20300203T040506Z/${result.id}/transcript-dfxp/transcript.dfxp`,
        `r/2030-02-03/040506/20300203T040506Z/${result.id}/media-redacted-audio/media-redacted-audio.bin`,
      ],
    );
    const again = await buildVoiceBaseCallbacks(s3.connection, options({ signingDate }));
    assert.notEqual(again.id, result.id, 'two runs get two ids, so their results never collide');
  });

  it('refuses a template that would make two callbacks collide, saying which and how to fix it', async () => {
    const err = await rejection(buildVoiceBaseCallbacks(s3.connection, options({ keyTemplate: 'out/{id}/{type}.{ext}', mediaStreams: ['original', 'redacted-audio'] })));
    assert.match(err.message, /media \(original\) and media \(redacted-audio\) callbacks would both upload to "out\/.*\/media\.bin": put \{name\}/);
  });

  it('rejects unknown formats, streams, sections, placeholders, a bad role and an empty choice, with their messages', async () => {
    const cases: [Partial<VoiceBaseCallbackOptions>, RegExp][] = [
      [{ transcriptFormats: ['mp4'] }, /Unknown transcript format "mp4": use json, text, webvtt, srt or dfxp/],
      [{ mediaStreams: ['video'] }, /Unknown media stream "video": use original or redacted-audio/],
      [{ analytics: { include: ['everything'] } }, /Unknown analytics section "everything"/],
      [{ analytics: { include: [] } }, /at least one analytics section/],
      [{ keyTemplate: 'x/{job}.{ext}' }, /Unknown placeholder \{job\} in the key template: use \{type\}, \{format\}/],
      [{ keyTemplate: 'x/{name.{ext}' }, /unmatched "\{"/],
      [{ keyTemplate: '/abs/{name}.{ext}' }, /no leading slash/],
      [{ role: 'my-role' }, /not an IAM role ARN/],
      [{ analytics: undefined }, /Choose at least one callback/],
      [{ id: 'a/b' }, /The id "a\/b" must be/],
      [{ bucket: 'Bad_Bucket' }, /lowercase/],
      [{ expiresIn: 700_000 }, /at most 604800 seconds/],
    ];
    for (const [over, message] of cases) {
      const err = await rejection(buildVoiceBaseCallbacks(s3.connection, options(over)));
      assert.equal(err.kind, 'badInput');
      assert.match(err.message, message, JSON.stringify(over));
    }
  });

  it("warns when the URLs expire before the vendor's ~16-hour retry window ends", async () => {
    const short = await buildVoiceBaseCallbacks(s3.connection, options({ expiresIn: 3600 }));
    assert.deepEqual(
      short.warnings.map((w) => w.code),
      ['shortForVendor'],
    );
    assert.match(short.warnings[0].message, /expire after 1 hour, at .*retry window \(7 retries over about 16 hours\)/);
    const day = await buildVoiceBaseCallbacks(s3.connection, options({ expiresIn: 86_400 }));
    assert.deepEqual(day.warnings, []);
  });

  it('gives each callback a curl command that uploads with its Content-Type to its URL', async () => {
    const result = await buildVoiceBaseCallbacks(s3.connection, options({ transcriptFormats: ['webvtt'] }));
    for (const c of result.callbacks) {
      assert.ok(c.curl.includes(`-H 'Content-Type: ${c.upload.headers['Content-Type']}'`), c.curl);
      assert.ok(c.curl.endsWith(`'${c.callback.url}'`), c.curl);
      assert.ok(c.curl.includes(`--upload-file ${c.key.split('/').pop()}`), c.curl);
    }
  });
});
