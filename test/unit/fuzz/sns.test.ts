import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { verifySnsMessage, type SnsMessage, type SnsVerifyOptions } from '../../../src/core/sns/snsMessage';
import { startFakeSns, type FakeSns } from '../../support/fakeSns';
import { fieldOf, fuzzParameters, hostileJson } from '../../support/fuzz';

// Property: SNS verification resolves to ok or a reason for any body; only the untouched signed message verifies.

describe('fuzz: SNS verification (local HTTPS certificate host)', function () {
  this.timeout(60_000);
  let sns: FakeSns;
  let options: SnsVerifyOptions;
  let signed: Record<string, unknown>[];
  before(async () => {
    sns = await startFakeSns();
    options = { isTrustedUrl: (u) => u.origin === sns.origin, ca: sns.certPem, certificateCache: new Map() };
    signed = [
      sns.sign({ Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn:t', Subject: 'S', Message: '{"Records":[]}', Timestamp: '2026-01-01T00:00:00Z' }, '2'),
      sns.sign({ Type: 'SubscriptionConfirmation', MessageId: 'm-2', TopicArn: 'arn:t', Token: 'tok', Message: 'confirm', SubscribeURL: sns.subscribeUrl, Timestamp: '2026-01-01T00:00:00Z' }, '1'),
    ];
  });
  after(async () => {
    await sns.close();
  });

  it('a signed message with one field replaced by anything does not verify, and nothing throws', async () => {
    const fields = ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'Token', 'SubscribeURL'];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 }), fc.constantFrom(...fields), fieldOf(fc.string()), async (which, name, value) => {
        const original = signed[which];
        const body = { ...original, [name]: value };
        const result = await verifySnsMessage(body as unknown as SnsMessage, options);
        const untouched = JSON.stringify(body) === JSON.stringify(original) || (name === 'Subject' && original.Type !== 'Notification') || (name === 'Token' && original.Type === 'Notification') || (name === 'SubscribeURL' && original.Type === 'Notification');
        if (!result.ok) {
          assert.equal(typeof result.reason, 'string');
        } else {
          assert.ok(untouched, `${name} = ${JSON.stringify(value)} still verified`);
        }
      }),
      fuzzParameters(150),
    );
    assert.equal((await verifySnsMessage(signed[0] as unknown as SnsMessage, options)).ok, true);
  });

  it('any JSON value given as a message resolves to a reason', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (value) => {
        const result = await verifySnsMessage(value as SnsMessage, options);
        assert.equal(result.ok, false);
      }),
      fuzzParameters(150),
    );
  });
});
