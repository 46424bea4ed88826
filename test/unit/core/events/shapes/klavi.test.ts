import * as assert from 'node:assert/strict';
import { readKlavi } from '../../../../../src/core/events/shapes';

const url = 'https://b.s3.amazonaws.com/k.json?X-Amz-Signature=abc';

describe('Klavi reader (core/events/shapes/klavi)', () => {
  it('reads the URL on the event or in payload, with paths from the event, any spelling of the names', () => {
    const event = readKlavi({ Event_Id: 'e-1', eventtype: 'analysis', EVENT_TIME: '2026-01-01t00:00:00z', payload: { batch_id: 7, presigned_url: url } })!;
    assert.equal(event.eventId, 'e-1');
    assert.equal(event.eventName, 'analysis');
    assert.equal(event.eventTime?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(event.batchId, '7');
    assert.deepEqual(event.urls, [{ url, path: ['payload', 'presigned_url'] }]);
  });

  it('an event without a file is one when it has eventId, eventName/eventType and payload', () => {
    assert.ok(readKlavi({ eventId: 'e', eventType: 't', payload: {} }));
    assert.equal(readKlavi({ eventId: 'e', payload: {} }), undefined);
    assert.equal(readKlavi({ hello: 'world' }), undefined);
  });

  it('wrong types read as absent: an object id, a URL that is a number, a time out of range', () => {
    const event = readKlavi({ eventId: { a: 1 }, eventName: ['x'], eventTime: 1e300, payload: { presignedUrl: 42, batchId: true }, presignedUrl: url })!;
    assert.equal(event.eventId, undefined);
    assert.equal(event.eventName, undefined);
    assert.equal(event.eventTime, undefined);
    assert.equal(event.eventTimeText, undefined);
    assert.equal(event.batchId, undefined);
    assert.deepEqual(event.urls, [{ url, path: ['presignedUrl'] }]);
  });

  it('keeps a time that does not parse as text, for display only', () => {
    assert.equal(readKlavi({ presignedUrl: url, eventTime: 'yesterday-ish' })?.eventTimeText, 'yesterday-ish');
  });
});
