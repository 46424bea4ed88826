import * as assert from 'node:assert/strict';
import { readEventBridgeS3, readS3Notification, s3NotificationLabel, s3RedeliveryKeys } from '../../../../../src/core/events/shapes';

describe('S3 record and EventBridge readers (core/events/shapes)', () => {
  const record = (extra: Record<string, unknown> = {}) => ({
    eventName: 'ObjectCreated:Put',
    eventTime: '2026-01-01T00:00:00Z',
    s3: { bucket: { name: 'bkt' }, object: { key: 'a+b%2Fc.wav', size: '42', eTag: '"abc"', sequencer: '00A' } },
    ...extra,
  });

  it('reads each record: key decoded, raw key kept for the redelivery identity, size and ETag cleaned', () => {
    const n = readS3Notification({ Records: [record(), { not: 'a record' }] })!;
    const [r, other] = n.records;
    assert.equal(r?.key, 'a b/c.wav');
    assert.equal(r?.rawKey, 'a+b%2Fc.wav');
    assert.equal(r?.size, 42);
    assert.equal(r?.etag, 'abc');
    assert.equal(other, undefined);
    assert.deepEqual(s3RedeliveryKeys(n), ['s3:bkt/a+b%2Fc.wav@00A']);
    assert.equal(s3NotificationLabel(n), 'ObjectCreated:Put (+1 more)');
  });

  it('wrong types: Records not an array, a bucket name that is an object, a negative or absurd size, a time out of range', () => {
    assert.equal(readS3Notification({ Records: { 0: record() } }), undefined);
    const n = readS3Notification({ Records: [record({ s3: { bucket: { name: {} }, object: { key: 'k' } } }), record({ eventTime: '99999999999999999999' })] })!;
    assert.equal(n.records[0], undefined);
    assert.equal(n.records[1]?.eventTime, '99999999999999999999');
    const sized = readS3Notification({ Records: [record({ s3: { bucket: { name: 'b' }, object: { key: 'k', size: -1 } } })] })!;
    assert.equal(sized.records[0]?.size, undefined);
  });

  it('EventBridge: source aws.s3 or none; another source is not an S3 event', () => {
    const detail = { bucket: { name: 'b' }, object: { key: 'k%20x', size: 3 } };
    assert.equal(readEventBridgeS3({ source: 'aws.s3', 'detail-type': 'Object Created', detail })?.key, 'k x');
    assert.equal(readEventBridgeS3({ detail })?.bucket, 'b');
    assert.equal(readEventBridgeS3({ source: 'aws.ec2', detail }), undefined);
    assert.equal(readEventBridgeS3({ source: 'aws.s3', detail: 'text' }), undefined);
  });
});
