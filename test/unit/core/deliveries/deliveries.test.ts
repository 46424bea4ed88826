import * as assert from 'node:assert/strict';
import {
  allSettled,
  deliveryResult,
  notifiedObjects,
  pollDelayMs,
  s3ObjectEventJson,
  summarizeDeliveries,
  type DeliveryTarget,
} from '../../../../src/core/deliveries/deliveries';
import { deliveryItemText, trackedDocumentText } from '../../../../src/core/deliveries/presentation';

const target: DeliveryTarget = {
  label: 'transcript (srt)',
  bucket: 'bkt',
  key: 'vb/run 1/transcript.srt',
  contentType: 'text/srt',
  signedAt: '2026-03-04T05:06:07.000Z',
  expiresAt: '2026-03-05T05:06:07.000Z',
};
const now = new Date('2026-03-04T06:00:00Z');

describe('delivery decisions and their tree text (core/deliveries)', () => {
  it('a HEAD answer is pending, delivered (type matching or not), expired, or an older object that does not count', () => {
    assert.equal(deliveryResult(target, { found: false }, now).state, 'pending');
    assert.equal(deliveryResult(target, { found: false }, new Date('2026-03-06T00:00:00Z')).state, 'expired');
    const delivered = deliveryResult(target, { found: true, size: 1234, lastModified: new Date('2026-03-04T05:30:00Z'), contentType: 'text/srt; charset=utf-8' }, now);
    assert.deepEqual([delivered.state, delivered.size, delivered.contentTypeMatches], ['delivered', 1234, true]);
    const wrong = deliveryResult(target, { found: true, size: 2, lastModified: new Date('2026-03-04T05:30:00Z'), contentType: 'text/plain' }, now);
    assert.equal(wrong.contentTypeMatches, false);
    const stale = deliveryResult(target, { found: true, size: 2, lastModified: new Date('2026-03-01T00:00:00Z') }, now);
    assert.deepEqual([stale.state, stale.note], ['pending', 'an object from 2026-03-01T00:00:00Z is stored, older than the URL']);
    const error = deliveryResult(target, { error: 'access denied', errorKind: 'accessDenied' }, now);
    assert.equal(error.state, 'error');
    assert.equal(allSettled([delivered, deliveryResult(target, { found: false }, new Date('2026-03-06T00:00:00Z'))]), true);
    assert.equal(allSettled([delivered, error]), false, 'a failed check is tried again');
    assert.equal(summarizeDeliveries([delivered, stale, error]), '1 of 3 delivered, 1 pending, 1 failed to check');
  });

  it('tree text says the state first, flags a wrong stored type, and names the document\'s progress', () => {
    const delivered = deliveryResult(target, { found: true, size: 1234, lastModified: new Date('2026-03-04T05:30:00Z'), contentType: 'text/plain' }, now);
    const item = deliveryItemText(delivered, now);
    assert.deepEqual([item.label, item.description, item.contextValue, item.icon], [
      'transcript (srt)',
      'delivered · 1.2 KB · text/plain (signed text/srt)',
      'delivery.delivered contentTypeMismatch',
      'warning',
    ]);
    assert.equal(deliveryItemText(deliveryResult(target, { found: false }, now), now).description, 'pending · expires in 23 h');
    assert.deepEqual(trackedDocumentText('callbacks.json', [delivered], true).description, '1 of 1 delivered · watching');
  });

  it('polls 2 s doubling to a minute', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map((i) => pollDelayMs(i)), [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('reads the objects an S3 notification names, and writes one that Fetch reads back (keys with spaces and pluses)', () => {
    const key = 'vb/run 1/a+b.srt';
    assert.deepEqual(notifiedObjects(s3ObjectEventJson('bkt', key)), [{ bucket: 'bkt', key }]);
    assert.deepEqual(notifiedObjects('{"publish":{}}'), []);
    assert.deepEqual(notifiedObjects('not json'), []);
  });
});
