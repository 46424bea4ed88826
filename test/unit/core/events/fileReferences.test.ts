import * as assert from 'node:assert/strict';
import { findFileReferences, parseEventJson, referencesFromText, summarizeEvent } from '../../../../src/core/events';

const v4 =
  'https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com/results/report%20one.json?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=AKIAEXAMPLE123456789%2F20210621%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20210621T041609Z' +
  '&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=examble1234494d5fba3fed607f98018e1dfc62e2529ae96d844123456';
const v2 = 'https://bucket2.s3.amazonaws.com/media/call.wav?AWSAccessKeyId=AKIAEXAMPLE&Expires=1700000000&Signature=abc%2Bdef%3D';

describe('recogniser: findFileReferences', () => {
  it('Klavi event (camelCase): URL, event id/time/name, expiry one day after eventTime when earlier than the URL', () => {
    const url = v4.replace('X-Amz-Expires=3600', 'X-Amz-Expires=604800');
    const refs = findFileReferences({
      partnerAppId: '12345678',
      eventId: '1495468585434-0e73d1719173766fe4dfe1a8',
      eventType: 'analysis',
      eventName: 'analysis finished',
      eventTime: '2021-06-21T04:00:00.000Z',
      payload: { batchId: '25872252137', presignedUrl: url },
    });
    assert.equal(refs.length, 1);
    const [r] = refs;
    assert.equal(r.shape, 'klavi');
    assert.equal(r.url, url);
    assert.equal(r.eventId, '1495468585434-0e73d1719173766fe4dfe1a8');
    assert.equal(r.eventName, 'analysis finished');
    assert.equal(r.eventTime, '2021-06-21T04:00:00.000Z');
    assert.equal(r.expiresAt, '2021-06-22T04:00:00.000Z');
    assert.match(r.expirySource ?? '', /one day after eventTime/);
    assert.equal(r.bucket, 'amzn-s3-demo-bucket');
    assert.equal(r.key, 'results/report one.json');
    assert.equal(r.region, 'us-west-2');
    assert.equal(r.suggestedName, 'report one.json');
    assert.deepEqual(r.jsonPath, ['payload', 'presignedUrl']);
    assert.ok(!r.redactedUrl?.includes('examble1234'), 'signature hidden');
    assert.ok(!r.label.includes('examble1234'));
  });

  it("Klavi event in the seed's lower-case spelling (partnerappid, eventtime, presignedurl, lower-case query names)", () => {
    const url = v4.replace(/X-Amz-/g, 'x-amz-');
    const refs = findFileReferences({
      partnerappid: '12345678',
      eventid: 'e-1',
      eventtype: 'analysis',
      eventname: 'analysis finished',
      eventtime: '2021-06-21t04:16:09.000z',
      payload: { batchid: '25872252137', presignedurl: url },
    });
    assert.equal(refs.length, 1);
    assert.equal(refs[0].shape, 'klavi');
    assert.equal(refs[0].eventId, 'e-1');
    // URL: 04:16:09 + 1 h; rule: + 1 day. The URL's own expiry is earlier.
    assert.equal(refs[0].expiresAt, '2021-06-21T05:16:09.000Z');
    assert.match(refs[0].expirySource ?? '', /X-Amz-Date/);
    assert.deepEqual(refs[0].jsonPath, ['payload', 'presignedurl']);
  });

  it('Klavi field names with _ and - (presigned_url, event-time)', () => {
    const refs = findFileReferences({ event_id: 'x', 'event-time': '2021-06-21T04:16:09Z', Payload: { presigned_url: v4 } });
    assert.equal(refs.length, 1);
    assert.equal(refs[0].shape, 'klavi');
    assert.equal(refs[0].eventId, 'x');
    assert.equal(refs[0].eventTime, '2021-06-21T04:16:09.000Z');
  });

  it('VoiceBase v3 streams[].streamLocation (presigned or not)', () => {
    const refs = findFileReferences({
      mediaId: 'm-42',
      status: 'finished',
      streams: [
        { streamName: 'original', streamLocation: v4 },
        { streamName: 'redacted-audio', streamLocation: 'https://media.example.com/m-42/redacted.wav' },
      ],
    });
    assert.equal(refs.length, 2);
    assert.deepEqual(
      refs.map((r) => [r.shape, r.eventId, r.eventName, r.suggestedName]),
      [
        ['voicebase', 'm-42', 'original', 'report one.json'],
        ['voicebase', 'm-42', 'redacted-audio', 'redacted.wav'],
      ],
    );
    assert.deepEqual(refs[1].jsonPath, ['streams', 1, 'streamLocation']);
  });

  const record = (key: string) => ({
    eventVersion: '1.0',
    eventSource: 'aws:s3',
    awsRegion: 'ru-msk',
    eventTime: '2021-04-22T13:48:37.000Z',
    eventName: 's3:ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: '1',
      bucket: { name: 'bucketA', ownerIdentity: { principalId: 'mcs2883541269' } },
      object: { key, size: 100, eTag: 'aed563ecafb4bcc5654c597a421547b2', sequencer: 1577453615 },
    },
    responseElements: { 'x-amz-request-id': 'VGJR5rtJ' },
  });

  it('S3 Records: bucket/key (URL-decoded, + as space), size, ETag, region, no URL', () => {
    const refs = findFileReferences({ Records: [record('reports/my+file%282%29.csv'), record('other')] });
    assert.equal(refs.length, 2);
    const [r] = refs;
    assert.equal(r.shape, 's3Records');
    assert.equal(r.url, undefined);
    assert.equal(r.bucket, 'bucketA');
    assert.equal(r.key, 'reports/my file(2).csv');
    assert.equal(r.suggestedName, 'my file(2).csv');
    assert.equal(r.size, 100);
    assert.equal(r.etag, 'aed563ecafb4bcc5654c597a421547b2');
    assert.equal(r.region, 'ru-msk');
    assert.equal(r.eventId, 'VGJR5rtJ');
    assert.equal(r.eventName, 's3:ObjectCreated:Put');
    assert.deepEqual(r.jsonPath, ['Records', 0]);
    assert.match(r.label, /s3:\/\/bucketA\/reports\/my file\(2\)\.csv/);
  });

  it('S3 Records inside an SNS Notification Message string', () => {
    const sns = {
      Type: 'Notification',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      Message: JSON.stringify({ Records: [record('a+b.txt')] }),
      SignatureVersion: '1',
    };
    const refs = findFileReferences(sns);
    assert.equal(refs.length, 1);
    assert.equal(refs[0].shape, 'snsS3Records');
    assert.equal(refs[0].key, 'a b.txt');
    assert.deepEqual(refs[0].jsonPath, ['Message']);
  });

  it('a Klavi event inside an SNS Message keeps its shape and points at the Message', () => {
    const refs = findFileReferences({ Type: 'Notification', Message: JSON.stringify({ eventId: 'k', payload: { presignedUrl: v4 } }) });
    assert.equal(refs.length, 1);
    assert.equal(refs[0].shape, 'klavi');
    assert.deepEqual(refs[0].jsonPath, ['Message']);
  });

  it('EventBridge S3 event: detail.bucket.name / detail.object.key', () => {
    const refs = findFileReferences({
      version: '0',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: '2021-11-12T00:00:00Z',
      region: 'ca-central-1',
      detail: { version: '0', bucket: { name: 'amzn-s3-demo-bucket1' }, object: { key: 'example+key.txt', size: 5, etag: 'b1946ac92492d2347c6235b4d2611184' } },
    });
    assert.equal(refs.length, 1);
    assert.equal(refs[0].shape, 'eventBridgeS3');
    assert.equal(refs[0].bucket, 'amzn-s3-demo-bucket1');
    assert.equal(refs[0].key, 'example key.txt');
    assert.equal(refs[0].size, 5);
    assert.equal(refs[0].eventId, '17793124-05d4-b198-2fde-7ededc63b103');
    assert.equal(refs[0].eventName, 'Object Created');
    assert.equal(refs[0].region, 'ca-central-1');
  });

  it('any presigned URL anywhere: SigV4 deep in arrays, SigV2 with Expires; plain URLs ignored', () => {
    const refs = findFileReferences({ a: [{ b: { c: v4 } }], d: v2, e: 'https://example.com/not-signed.json', f: 'not a url' });
    assert.deepEqual(
      refs.map((r) => [r.shape, r.jsonPath]),
      [
        ['presignedUrl', ['a', 0, 'b', 'c']],
        ['presignedUrl', ['d']],
      ],
    );
    assert.equal(refs[1].expiresAt, new Date(1700000000 * 1000).toISOString());
    assert.equal(refs[1].bucket, 'bucket2');
    assert.equal(refs[1].suggestedName, 'call.wav');
    assert.ok(!refs[1].redactedUrl?.includes('abc'));
  });

  it('a URL found by a specific shape is not reported twice', () => {
    const refs = findFileReferences({ eventId: '1', payload: { presignedUrl: v4 }, copy: v4 });
    assert.deepEqual(
      refs.map((r) => r.shape),
      ['klavi', 'presignedUrl'],
    );
  });

  it('upload targets ({ url, method: "PUT" }, as in VoiceBase callbacks) are not files to fetch; GET ones are', () => {
    const callbacks = { publish: { callbacks: [{ url: v4, method: 'PUT', type: 'analytics' }, { url: v4, method: 'post' }] } };
    assert.deepEqual(findFileReferences(callbacks), []);
    assert.deepEqual(findFileReferences({ url: v4, method: 'PUT', headers: { 'Content-Type': 'text/plain' }, expiresAt: '2030-01-01T00:00:00Z' }), []);
    assert.equal(findFileReferences({ url: v4, method: 'GET' }).length, 1);
    assert.equal(findFileReferences({ url: v4 }).length, 1);
  });

  it('a bare presigned URL string is a reference', () => {
    const refs = findFileReferences(v4);
    assert.equal(refs.length, 1);
    assert.deepEqual(refs[0].jsonPath, []);
  });

  it('nothing to fetch → []', () => {
    assert.deepEqual(findFileReferences({ hello: 'world', n: 1, list: [null, true] }), []);
    assert.deepEqual(findFileReferences(null), []);
  });

  it('summarizeEvent gives the shape and the first reference’s event fields', () => {
    const s = summarizeEvent({ eventId: 'k1', eventName: 'analysis finished', payload: { presignedUrl: v4 } });
    assert.equal(s.shape, 'klavi');
    assert.equal(s.eventId, 'k1');
    assert.equal(summarizeEvent({}).shape, undefined);
  });
});

describe('recogniser: parseEventJson and referencesFromText', () => {
  it('malformed JSON → message with line and column', () => {
    const r = parseEventJson('{\n  "a": 1,\n  "b" 2\n}');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.line, 3);
      assert.equal(r.error.column, 7);
      assert.match(r.error.message, /line 3, column 7: a colon was expected/);
    }
  });

  it('trailing comma and comments are errors; empty text says so', () => {
    const trailing = parseEventJson('{"a": 1,}');
    assert.equal(trailing.ok, false);
    const empty = parseEventJson('   ');
    assert.ok(!empty.ok && /empty/.test(empty.error.message));
  });

  it('a BOM is ignored', () => {
    const r = parseEventJson('\ufeff{"a":1}');
    assert.ok(r.ok);
  });

  it('referencesFromText takes a bare URL (even unsigned) or JSON', () => {
    const bare = referencesFromText('  https://example.com/files/x.bin \n');
    assert.ok(bare.ok);
    assert.equal(bare.ok && bare.references[0].suggestedName, 'x.bin');
    const json = referencesFromText(JSON.stringify({ payload: { presignedUrl: v4 } }));
    assert.ok(json.ok && json.references.length === 1);
    const bad = referencesFromText('{"payload": ');
    assert.ok(!bad.ok && /line 1, column 13/.test(bad.error.message));
  });
});
