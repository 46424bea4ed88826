import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findFileReferences, parseEventJson, parseJsonBody, referencesFromText, summarizeEvent, type FileReference } from '../../../src/core/events';
import { readEventBridgeS3, readKlavi, readS3Notification, readSnsMessage, readVkConfirmation, readVoiceBaseStream, webhookEventKinds, isObject } from '../../../src/core/events/shapes';
import { classifyJson } from '../../../src/core/listener/classify';
import { deeplyNested, fuzzParameters, hostileJson } from '../../support/fuzz';
import { anyBody, snsBody } from './shapes';

// Property: every reader and recogniser returns a result for any input; none throws.

function assertOptionalText(value: unknown, what: string): void {
  assert.ok(value === undefined || typeof value === 'string', `${what} is ${typeof value}`);
}

function assertReference(ref: FileReference): void {
  for (const name of ['url', 'redactedUrl', 'bucket', 'key', 'region', 'eventId', 'eventTime', 'eventName', 'etag', 'versionId', 'expirySource', 'expiryProblem'] as const) {
    assertOptionalText(ref[name], name);
  }
  assert.equal(typeof ref.label, 'string');
  assert.equal(typeof ref.suggestedName, 'string');
  assert.ok(ref.suggestedName.length > 0);
  assert.ok(ref.size === undefined || Number.isFinite(ref.size));
  assert.ok(ref.expiresAt === undefined || !Number.isNaN(Date.parse(ref.expiresAt)), ref.expiresAt);
  assert.ok(Array.isArray(ref.jsonPath));
  JSON.stringify(ref);
}

/** Text that is nearly JSON: a real document cut, spliced or nested too deep. */
const jsonishText = fc.oneof(
  fc.string(),
  anyBody.map((v) => JSON.stringify(v) ?? ''),
  fc.tuple(anyBody, fc.nat(), fc.string({ maxLength: 3 })).map(([v, at, junk]) => {
    const t = JSON.stringify(v) ?? '';
    const i = at % (t.length + 1);
    return t.slice(0, i) + junk + t.slice(i);
  }),
  fc.tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('[', '{"a":', '["\\"', '[{"Records":')).map(([n, open]) => open.repeat(n)),
  fc.integer({ min: 500, max: 600 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
);

describe('fuzz: event JSON, readers, recogniser, classification', () => {
  it('parseEventJson / parseJsonBody return a value or an error with a place, for any text, and agree', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        const parsed = parseEventJson(text);
        if (!parsed.ok) {
          assert.equal(typeof parsed.error.message, 'string');
          assert.ok(parsed.error.line >= 1 && parsed.error.column >= 1);
        }
        // The listener's fast path accepts and refuses exactly what the recogniser does.
        assert.equal(parseJsonBody(text).ok, parsed.ok, text.slice(0, 80));
      }),
      fuzzParameters(200),
    );
  });

  it('each wire-format reader gives a typed result or undefined for any value', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const object = isObject(body) ? body : {};
        const klavi = readKlavi(object);
        assertOptionalText(klavi?.eventId, 'eventId');
        assertOptionalText(klavi?.eventName, 'eventName');
        assert.ok(klavi?.eventTime === undefined || !Number.isNaN(klavi.eventTime.getTime()));
        klavi?.urls.forEach((u) => assert.equal(typeof u.url, 'string'));
        readS3Notification(object)?.records.forEach((r) => r && (assert.equal(typeof r.bucket, 'string'), assert.equal(typeof r.key, 'string')));
        const bridged = readEventBridgeS3(object);
        assert.ok(!bridged || typeof bridged.key === 'string');
        assertOptionalText(readVoiceBaseStream(object)?.streamName, 'streamName');
        const vk = readVkConfirmation(body);
        assert.ok('fields' in vk ? Object.values(vk.fields).every((v) => typeof v === 'string') : vk.missing.length > 0);
      }),
      fuzzParameters(300),
    );
  });

  it('readSnsMessage: a message it accepts has every field a string; anything else is undefined or invalid', () => {
    fc.assert(
      fc.property(snsBody(hostileJson), (body) => {
        const read = readSnsMessage(body);
        if (read?.ok) {
          for (const value of Object.values(read.message)) {
            assert.equal(typeof value, 'string');
          }
        } else if (read) {
          assert.match(read.reason, /not a valid SNS message/);
        }
      }),
      fuzzParameters(300),
    );
  });

  it('findFileReferences / summarizeEvent: references with text fields and real instants, for any value', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        findFileReferences(body).forEach(assertReference);
        const summary = summarizeEvent(body);
        assertOptionalText(summary.eventName, 'eventName');
      }),
      fuzzParameters(300),
    );
  });

  it('referencesFromText: references or a syntax error, for any text', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        const found = referencesFromText(text);
        if (found.ok) {
          found.references.forEach(assertReference);
        }
      }),
      fuzzParameters(200),
    );
  });

  it('classifyJson: a known kind, a text label and text dedupe keys, for any value and header', () => {
    fc.assert(
      fc.property(anyBody, fc.option(fc.constantFrom('SubscriptionConfirmation', 'Notification', '')), (body, header) => {
        const text = JSON.stringify(body);
        const c = classifyJson(body, header ?? undefined, text);
        assert.ok(webhookEventKinds.includes(c.kind));
        assert.equal(typeof c.label, 'string');
        c.dedupeKeys.forEach((k) => assert.equal(typeof k, 'string'));
        assert.ok(Number.isInteger(c.fileReferences));
        if (c.sns) {
          assert.equal(readSnsMessage(c.sns)?.ok, true);
        }
      }),
      fuzzParameters(300),
    );
  });

  it('walkers stop on values nested far deeper than any event (built without parsing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 50_000 }), anyBody, (depth, leaf) => {
        const value = deeplyNested(depth, leaf);
        findFileReferences(value).forEach(assertReference);
        assert.equal(typeof classifyJson(value).label, 'string');
      }),
      fuzzParameters(20),
    );
  });
});
