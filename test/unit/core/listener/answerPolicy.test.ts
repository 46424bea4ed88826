import * as assert from 'node:assert/strict';
import { confirmationSignature } from '../../../../src/core/confirmation/signature';
import { decideFile, decideInline, decideSns, decideTooLarge, storeFailedAnswer, type Decision, type SnsPending } from '../../../../src/core/listener/answerPolicy';
import type { WebhookEvent } from '../../../../src/core/listener/webhookEvent';

// The answer policy decides without sockets or files: these tests call it with plain values.

function received(headers: Record<string, string> = {}): WebhookEvent {
  return { id: 'e1', receivedAt: '2026-01-01T00:00:00.000Z', method: 'POST', path: '/hook', query: '', headers, body: { size: 0 }, kind: 'unknown', label: '', status: 0 };
}

const settings = { answerStatus: 200 };

function decided(result: Decision | SnsPending): Decision {
  assert.ok('answer' in result, 'expected a decision, got an SNS message to verify');
  return result;
}

describe('answer policy (no I/O)', () => {
  it('answers an ordinary JSON event with its id and the configured status, without changing the event it was given', () => {
    const base = received({ 'content-type': 'application/json' });
    const d = decided(decideInline(base, Buffer.from('{"hello":1}'), 'application/json', '/hook', settings));
    assert.deepEqual(d.answer, { status: 200, body: '{"received":"e1"}' });
    assert.equal(d.event.status, 200);
    assert.equal(d.event.body.text, '{"hello":1}');
    assert.equal(base.status, 0);
    assert.equal(base.body.text, undefined);

    const failing = decided(decideInline(base, Buffer.from('{"hello":1}'), 'application/json', '/hook', { answerStatus: 503 }));
    assert.equal(failing.answer.status, 503);
    assert.equal(failing.event.answer, '{"error":"answering 503 as configured"}');
  });

  it('stores malformed JSON as malformed and answers 400 with the parse error', () => {
    const d = decided(decideInline(received(), Buffer.from('{"a": '), 'application/json', '/hook', settings));
    assert.equal(d.answer.status, 400);
    assert.equal(d.event.kind, 'malformed');
    assert.ok(d.event.error);
    assert.deepEqual(JSON.parse(d.answer.body), { error: d.event.error });
  });

  it('refuses JSON nested deeper than any event as malformed (400), so no view ever has to print it', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const d = decided(decideInline(received(), Buffer.from(deep), 'application/json', '/hook', settings));
    assert.equal(d.answer.status, 400);
    assert.equal(d.event.kind, 'malformed');
    assert.match(d.event.error ?? '', /nested more than 512 levels deep/);
  });

  it('labels empty, text and binary bodies, keeping binary as base64', () => {
    assert.equal(decided(decideInline(received(), Buffer.alloc(0), undefined, '/', settings)).event.label, 'POST (empty body)');
    assert.equal(decided(decideInline(received(), Buffer.from('hello'), 'text/plain', '/', settings)).event.label, 'POST text body');
    const bin = decided(decideInline(received(), Buffer.from([0xff, 0xfe, 0x00]), undefined, '/', settings));
    assert.equal(bin.event.label, 'POST binary body');
    assert.equal(bin.event.body.base64, '//4A');
  });

  it('signs a VK confirmation over the public URL, or over the request URL with a warning', () => {
    const confirmation = { Type: 'SubscriptionConfirmation', TopicArn: 'mcs|t|s3:ObjectCreated:Put', Timestamp: '2021-04-22T16:48:37+03:00', Token: 'tok', Message: 'm' };
    const body = Buffer.from(JSON.stringify(confirmation));
    const signed = decided(decideInline(received(), body, 'application/json', '/vk?b=1', { answerStatus: 503, publicUrl: 'https://t.example' }));
    const expected = confirmationSignature({ url: 'https://t.example/vk?b=1', topicArn: confirmation.TopicArn, timestamp: confirmation.Timestamp, token: 'tok' });
    assert.deepEqual(signed.answer, { status: 200, body: JSON.stringify({ signature: expected }) });
    assert.equal(signed.event.signedUrl, 'https://t.example/vk?b=1');
    assert.equal(signed.warning, undefined);

    const local = decided(decideInline(received({ host: '127.0.0.1:8765' }), body, 'application/json', '/vk', settings));
    assert.equal(local.event.signedUrl, 'http://127.0.0.1:8765/vk');
    assert.ok(local.warning);
    assert.deepEqual(local.event.warnings, [local.warning]);
  });

  it('hands an SNS message over for verification, then answers 403, the ordinary answer, or 200 with confirm', () => {
    const sns = {
      Type: 'SubscriptionConfirmation',
      MessageId: 'm1',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: 'x',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'c2ln',
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
      Token: 't',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    };
    const pending = decideInline(received(), Buffer.from(JSON.stringify(sns)), 'text/plain', '/', settings);
    assert.ok('sns' in pending);
    const rejected = decideSns(pending, { ok: false, reason: 'bad signature' }, settings);
    assert.equal(rejected.answer.status, 403);
    assert.equal(rejected.event.sns?.verified, false);
    assert.equal(rejected.confirm, false);
    const accepted = decideSns(pending, { ok: true, certificateUrl: sns.SigningCertURL }, { answerStatus: 500 });
    assert.equal(accepted.answer.status, 200);
    assert.equal(accepted.confirm, true);
    assert.equal(accepted.event.sns?.verified, true);
  });

  it('records an over-limit body as dropped with 413 and closes, and a received file by its hash', () => {
    const big = decideTooLarge(received(), 5000, 1000);
    assert.equal(big.answer.status, 413);
    assert.equal(big.answer.close, true);
    assert.deepEqual(big.event.body, { size: 5000, dropped: true });
    const file = decideFile(received(), { size: 3, file: '/r/x.bin', sha256: 'ab' }, 'audio/mpeg', settings);
    assert.equal(file.event.kind, 'file');
    assert.equal(file.event.label, 'POST hook');
    assert.equal(file.answer.status, 200);
    assert.equal(storeFailedAnswer('event').status, 500);
  });
});
