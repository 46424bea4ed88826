import * as assert from 'node:assert/strict';
import { readSnsMessage, readVkConfirmation, claimsConfirmation, readReferenceShape, readWebhookEventKind } from '../../../../../src/core/events/shapes';

const notification = { Type: 'Notification', MessageId: 'm', TopicArn: 't', Message: 'hi', Timestamp: 'x', SignatureVersion: '1', Signature: 's', SigningCertURL: 'https://sns.us-east-1.amazonaws.com/a.pem' };

describe('SNS and VK confirmation readers, event kinds (core/events/shapes)', () => {
  it('SNS: a valid message is copied with only its string fields; Subject null is no Subject', () => {
    const read = readSnsMessage({ ...notification, Subject: null, Extra: { a: 1 } });
    assert.deepEqual(read, { ok: true, message: notification });
  });

  it('SNS: wrong-typed or missing signed fields make it invalid with every reason', () => {
    const read = readSnsMessage({ ...notification, Message: { Records: [] }, SignatureVersion: 2, TopicArn: undefined });
    assert.equal(read?.ok, false);
    assert.match(read && !read.ok ? read.reason : '', /TopicArn is missing, Message is an object, SignatureVersion is a number/);
    const confirmation = readSnsMessage({ ...notification, Type: 'SubscriptionConfirmation' });
    assert.match(confirmation && !confirmation.ok ? confirmation.reason : '', /Token is missing, SubscribeURL is missing/);
  });

  it('not SNS at all: no known Type, or neither Signature nor SigningCertURL (a VK confirmation)', () => {
    assert.equal(readSnsMessage({ ...notification, Type: 'Other' }), undefined);
    assert.equal(readSnsMessage({ Type: 'SubscriptionConfirmation', TopicArn: 't', Timestamp: 'x', Token: 'k' }), undefined);
    assert.equal(readSnsMessage('text'), undefined);
  });

  it('VK confirmation: Type or the message-type header claims it; fields must be strings', () => {
    assert.ok(claimsConfirmation({ Type: 'SubscriptionConfirmation' }));
    assert.ok(claimsConfirmation({ Type: { x: 1 } }, 'SubscriptionConfirmation'));
    assert.ok(!claimsConfirmation({ Type: 'Notification' }, 'SubscriptionConfirmation'));
    assert.deepEqual(readVkConfirmation({ topicarn: 'a', Timestamp: 't', Token: 5 }), { missing: ['Token'] });
  });

  it('stored kinds and shapes from earlier versions read as today’s names', () => {
    assert.equal(readReferenceShape('s3-records'), 's3Records');
    assert.equal(readReferenceShape('sns-s3-records'), 'snsS3Records');
    assert.equal(readReferenceShape('eventbridge-s3'), 'eventBridgeS3');
    assert.equal(readReferenceShape('presigned-url'), 'presignedUrl');
    assert.equal(readReferenceShape('klavi'), 'klavi');
    assert.equal(readReferenceShape(5), undefined);
    assert.equal(readWebhookEventKind('s3Records'), 's3Records');
    assert.equal(readWebhookEventKind('somethingNew'), 'unknown');
  });
});
