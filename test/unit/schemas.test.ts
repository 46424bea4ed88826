import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

const root = join(__dirname, '..', '..');
const readJson = (...parts: string[]): unknown => JSON.parse(readFileSync(join(root, ...parts), 'utf8'));

// VS Code's JSON language service understands these annotation keywords; ajv must accept them too.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false });
ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'errorMessage']);

function validator(schemaFile: string) {
  const schema = readJson('schemas', schemaFile) as { $id: string };
  return ajv.getSchema(schema.$id) ?? ajv.compile(schema);
}
const fixture = (name: string) => readJson('test', 'fixtures', 'schemas', name);
const messages = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('JSON schemas (schemas/*.schema.json)', () => {
  const manifest = readJson('package.json') as { contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] } };

  it('every schema contributed in package.json exists and compiles', () => {
    const contributed = manifest.contributes.jsonValidation ?? [];
    assert.ok(contributed.length >= 4, 'expected jsonValidation entries for callbacks, Klavi events, S3 events and confirmations');
    for (const entry of contributed) {
      assert.match(entry.url, /^\.\/schemas\/.+\.schema\.json$/);
      validator(entry.url.replace('./schemas/', ''));
    }
  });

  describe('VoiceBase v3 callbacks', () => {
    const validate = validator('voicebase-callbacks.schema.json');

    it('accepts analytics, transcript and media callbacks with presigned PUT URLs, and a plain POST webhook', () => {
      assert.ok(validate(fixture('valid.callback.json')), messages(validate.errors).join('\n'));
    });

    it('rejects an unknown type, a format on an analytics callback, and POST with a presigned URL', () => {
      assert.equal(validate(fixture('broken.callback.json')), false);
      const found = messages(validate.errors);
      assert.ok(found.some((m) => m.startsWith('/publish/callbacks/0/type must be equal to one of the allowed values')), found.join('\n'));
      assert.ok(found.some((m) => m.startsWith('/publish/callbacks/1/format')), found.join('\n'));
      assert.ok(found.some((m) => m.startsWith('/publish/callbacks/2/method must be equal to constant')), found.join('\n'));
    });

    it('requires a format on transcript callbacks and a stream on media callbacks', () => {
      const doc = { publish: { callbacks: [{ url: 'https://x.example/a', type: 'transcript' }, { url: 'https://x.example/b', type: 'media' }] } };
      assert.equal(validate(doc), false);
      const found = messages(validate.errors);
      assert.ok(found.some((m) => m.startsWith("/publish/callbacks/0 must have required property 'format'")), found.join('\n'));
      assert.ok(found.some((m) => m.startsWith("/publish/callbacks/1 must have required property 'stream'")), found.join('\n'));
    });

    it('rejects fields the vendor does not accept', () => {
      assert.equal(validate({ publish: { callbacks: [{ url: 'https://x.example/a', headers: {} }] } }), false);
    });
  });

  describe('events', () => {
    it('Klavi schema accepts the seed (lower-case) and camel-case events', () => {
      const validate = validator('klavi-event.schema.json');
      assert.ok(validate(fixture('seed.klavi-event.json')), messages(validate.errors).join('\n'));
      assert.ok(validate(fixture('camel.klavi-event.json')), messages(validate.errors).join('\n'));
      assert.equal(validate({ eventType: 'analysis' }), false, 'an event without payload is not a Klavi event');
    });

    it('S3 notification schema accepts the VK Cloud record and rejects a record without s3.object.key', () => {
      const validate = validator('s3-event-notification.schema.json');
      assert.ok(validate(fixture('vk.s3-event.json')), messages(validate.errors).join('\n'));
      assert.equal(validate({ Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }] }), false);
    });

    it('VK confirmation schema accepts the seed confirmation and rejects one without Token', () => {
      const validate = validator('vk-subscription-confirmation.schema.json');
      const seed = fixture('seed.confirmation.json') as Record<string, unknown>;
      assert.ok(validate(seed), messages(validate.errors).join('\n'));
      const { Token: _token, ...withoutToken } = seed;
      assert.equal(validate(withoutToken), false);
    });
  });
});
