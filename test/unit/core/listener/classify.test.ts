import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyJson, mayReferenceFiles } from '../../../../src/core/listener/classify';
import { fuzzParameters } from '../../../support/fuzz';

describe('classify', () => {
  it('mayReferenceFiles skips only text in which the recogniser cannot find a file (same answer as the case-insensitive pattern it replaced)', () => {
    const words = fc.constantFrom('http:', 'HTTPS:', 'hTtP', 'Records', 'rEcOrD', 'detail', 'DETAI', '\\u0068', '\\', 'u', 's:', ':', ' ');
    const text = fc.array(fc.oneof(words, fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => mayReferenceFiles(t) === /https?:|records|detail|\\u/i.test(t)),
      fuzzParameters(500),
    );
    assert.equal(mayReferenceFiles('{"eventId":"1","payload":{"presignedUrl":"HTTPS:\\/\\/b.s3.amazonaws.com\\/k"}}'), true);
    assert.equal(mayReferenceFiles('{"eventId":"1","eventName":"analysis finished","payload":{}}'), false);
  });

  it('a Klavi event without a file is labelled by its name and keyed by its id; its file reference is counted when it has one', () => {
    const plain = classifyJson({ eventId: 'e-1', event_name: 'analysis finished', payload: {} }, undefined, '{}');
    assert.deepEqual([plain.kind, plain.label, plain.dedupeKeys, plain.fileReferences], ['klavi', 'analysis finished', ['event:e-1'], 0]);
    const body = { EventId: 7, eventType: 'done', payload: { 'presigned-url': 'https://b.s3.us-east-1.amazonaws.com/k.json?X-Amz-Expires=60' } };
    const withFile = classifyJson(body, undefined, JSON.stringify(body));
    assert.deepEqual([withFile.kind, withFile.label, withFile.dedupeKeys, withFile.fileReferences], ['klavi', 'done', ['event:7'], 1]);
  });
});
