import * as assert from 'node:assert/strict';
import { isAwsSnsUrl, verifySnsMessage, type SnsMessage, type SnsVerifyOptions } from '../../../../src/core/sns/snsMessage';
import { startFakeSns, type FakeSns } from '../../../support/fakeSns';
import { postJson } from '../../../support/httpClient';
import { startTestListener, type TestListener } from '../../../support/testListener';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:bucket-events';

function confirmation(sns: FakeSns): Record<string, unknown> {
  return {
    Type: 'SubscriptionConfirmation',
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token: '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
    TopicArn: topicArn,
    Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: sns.subscribeUrl,
    Timestamp: '2026-11-22T10:00:00.000Z',
  };
}

function s3Notification(messageId: string): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: topicArn,
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2026-11-22T10:00:01.000Z',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'bkt' }, object: { key: 'calls/2026/rec+1.wav', size: 42, eTag: 'abc', sequencer: '0062E99A88DC407460' } },
        },
      ],
    }),
    Timestamp: '2026-11-22T10:00:01.500Z',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  };
}

describe('SNS message signatures (local HTTPS certificate host, openssl-signed messages)', function () {
  this.timeout(30_000);
  let sns: FakeSns;
  let relaxed: SnsVerifyOptions;
  before(async () => {
    sns = await startFakeSns();
    // The host rule is relaxed for this test only: the local server's origin is trusted, with its CA.
    relaxed = { isTrustedUrl: (u) => u.origin === sns.origin, ca: sns.certPem };
  });
  after(async () => {
    await sns.close();
  });

  it('the default rule trusts only https://sns.<region>.amazonaws.com', () => {
    assert.ok(isAwsSnsUrl(new URL('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem')));
    assert.ok(isAwsSnsUrl(new URL('https://sns.eu-central-1.amazonaws.com/x.pem')));
    for (const bad of [
      'http://sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com.evil.example/x.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com:8443/x.pem',
      'https://s3.us-east-1.amazonaws.com/x.pem',
      'https://127.0.0.1/cert.pem',
    ]) {
      assert.ok(!isAwsSnsUrl(new URL(bad)), bad);
    }
  });

  it('refuses a validly signed message whose certificate is not on an SNS host when the rule is not relaxed', async () => {
    const message = sns.sign(confirmation(sns), '2') as unknown as SnsMessage;
    const result = await verifySnsMessage(message, { ca: sns.certPem });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /not an https:\/\/sns\.<region>\.amazonaws\.com address/);
  });

  for (const version of ['1', '2'] as const) {
    it(`accepts SignatureVersion ${version} (${version === '1' ? 'SHA1' : 'SHA256'}withRSA) and rejects it tampered`, async () => {
      const conf = sns.sign(confirmation(sns), version) as unknown as SnsMessage;
      assert.deepEqual(await verifySnsMessage(conf, relaxed), { ok: true, certificateUrl: sns.certUrl });
      const note = sns.sign(s3Notification('n-1'), version) as unknown as SnsMessage;
      assert.equal((await verifySnsMessage(note, relaxed)).ok, true);

      for (const tampered of [
        { ...conf, Token: conf.Token + 'x' },
        { ...conf, SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=other' },
        { ...note, Message: note.Message.replace('rec+1.wav', 'rec+2.wav') },
        { ...note, Subject: undefined },
        { ...note, SignatureVersion: version === '1' ? '2' : '1' },
      ]) {
        const r = await verifySnsMessage(tampered, relaxed);
        assert.equal(r.ok, false);
        assert.match(!r.ok ? r.reason : '', /does not match/);
      }
    });
  }

  it('rejects an unknown SignatureVersion and a certificate URL that is not a .pem', async () => {
    const m = sns.sign(confirmation(sns), '2') as unknown as SnsMessage;
    const v3 = await verifySnsMessage({ ...m, SignatureVersion: '3' }, relaxed);
    assert.match(!v3.ok ? v3.reason : '', /unsupported SignatureVersion/);
    const notPem = await verifySnsMessage({ ...m, SigningCertURL: `${sns.origin}/cert.txt` }, relaxed);
    assert.match(!notPem.ok ? notPem.reason : '', /\.pem/);
  });

  describe('in the listener', () => {
    let t: TestListener | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('answers a verified SubscriptionConfirmation 200 and confirms only when asked', async () => {
      t = await startTestListener({ sns: relaxed });
      const before = sns.confirmations;
      const r = await postJson(t.url, sns.sign(confirmation(sns), '1'), { 'x-amz-sns-message-type': 'SubscriptionConfirmation' });
      assert.equal(r.status, 200);
      const [event] = t.history.all();
      assert.equal(event.kind, 'snsSubscriptionConfirmation');
      assert.equal(event.sns?.verified, true);
      assert.equal(sns.confirmations, before, 'not confirmed without the user asking');

      const result = await t.listener.confirmSubscription(event.id);
      assert.equal(result.subscriptionArn, 'arn:aws:sns:us-east-1:123456789012:topic:5f1c');
      assert.equal(sns.confirmations, before + 1);
      assert.ok(t.history.get(event.id)?.sns?.subscription?.confirmedAt);
    });

    it('confirms at once when auto-confirm is on', async () => {
      t = await startTestListener({ sns: relaxed, snsAutoConfirm: true });
      const before = sns.confirmations;
      await postJson(t.url, sns.sign(confirmation(sns), '2'));
      const deadline = Date.now() + 5000;
      while (sns.confirmations === before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(sns.confirmations, before + 1);
    });

    it('answers 403 to a tampered message, and to one from a certificate host the default rule refuses', async () => {
      t = await startTestListener({ sns: relaxed });
      const signed = sns.sign(s3Notification('n-2'), '2');
      const r = await postJson(t.url, { ...signed, Message: String(signed.Message).replace('bkt', 'other') });
      assert.equal(r.status, 403);
      assert.match(r.text, /does not match/);
      await t.close();

      t = await startTestListener({ sns: { ca: sns.certPem } });
      const r2 = await postJson(t.url, signed);
      assert.equal(r2.status, 403);
      const [event] = t.history.all();
      assert.equal(event.sns?.verified, false);
      assert.match(event.sns?.reason ?? '', /sns\.<region>\.amazonaws\.com/);
    });

    it('unwraps a verified Notification holding S3 Records, and marks a redelivery by MessageId', async () => {
      t = await startTestListener({ sns: relaxed });
      const signed = sns.sign(s3Notification('n-3'), '1');
      const r = await postJson(t.url, signed, { 'Content-Type': 'text/plain; charset=UTF-8' });
      assert.equal(r.status, 200);
      await postJson(t.url, signed, { 'Content-Type': 'text/plain; charset=UTF-8' });
      const [first, second] = t.history.all();
      assert.equal(first.kind, 'snsNotification');
      assert.equal(first.label, 'ObjectCreated:Put via SNS');
      assert.equal(first.fileReferences, 1);
      assert.ok(first.dedupeKeys?.includes('sns:n-3'));
      assert.ok(first.dedupeKeys?.includes('s3:bkt/calls/2026/rec+1.wav@0062E99A88DC407460'));
      assert.equal(second.duplicateOf, first.id);
    });
  });
});
