import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFileReferences, parseEventJson } from '../../src/core/events';
import { classifyJson } from '../../src/core/listener/classify';
import { EventHistory } from '../../src/core/listener/eventHistory';
import { redactUrl } from '../../src/core/redact';
import { isAwsSnsUrl, verifySnsMessage, type SnsMessage } from '../../src/core/sns/snsMessage';
import { inspectPresignedUrl } from '../../src/core/url/presignedUrl';
import { startFakeSns } from '../support/fakeSns';

// Issue 11's bugs in the readers, one test each: every one of these threw or leaked before.
const url = (query: string) => `https://b.s3.us-east-1.amazonaws.com/k.json?X-Amz-Signature=abc&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&${query}`;

describe('hostile input (issue 11)', () => {
  it('JSON nested 100 000 deep is refused with a message, not a stack overflow', () => {
    const parsed = parseEventJson('['.repeat(100_000) + ']'.repeat(100_000));
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.error.message : '', /nested more than \d+ levels deep/);
  });

  it('a Klavi eventTime that is a number out of Date range gives a reference without a time', () => {
    const refs = findFileReferences({ eventId: 'e', eventTime: 1e300, payload: { presignedUrl: url('X-Amz-Date=20260101T000000Z&X-Amz-Expires=60') } });
    assert.equal(refs.length, 1);
    assert.equal(refs[0].eventTime, undefined);
  });

  it('an S3 record whose eventTime is a huge digit string does not throw', () => {
    const refs = findFileReferences({ Records: [{ eventTime: '99999999999999999999', s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] });
    assert.equal(refs.length, 1);
  });

  it('absurd X-Amz-Expires / Expires / X-Amz-Date make the expiry invalid, never a throw', () => {
    for (const query of ['X-Amz-Date=20260101T000000Z&X-Amz-Expires=1e300', 'X-Amz-Date=20260101T000000Z&X-Amz-Expires=99999999999999999999', 'X-Amz-Date=20261399T000000Z&X-Amz-Expires=60']) {
      const info = inspectPresignedUrl(url(query))!;
      assert.equal(info.expiresAt, undefined, query);
      assert.match(info.expiryProblem ?? '', /./, query);
      assert.doesNotThrow(() => findFileReferences({ u: url(query) }), query);
    }
    const v2 = inspectPresignedUrl('https://b.s3.amazonaws.com/k?AWSAccessKeyId=A&Signature=s&Expires=1e300')!;
    assert.equal(v2.expiresAt, undefined);
    assert.match(v2.expiryProblem ?? '', /Expires/);
  });

  it('an SNS-looking body whose Message is an object or SignatureVersion is not a string is classified, not thrown on', () => {
    const base = { Type: 'Notification', MessageId: 'm', TopicArn: 't', Timestamp: 'x', Signature: 's', SigningCertURL: 'https://sns.us-east-1.amazonaws.com/a.pem', SignatureVersion: '1', Message: 'hi' };
    for (const body of [{ ...base, Message: { Records: [] } }, { ...base, SignatureVersion: { toString: 1 } }, { ...base, Subject: 5 }]) {
      const c = classifyJson(body);
      assert.equal(c.sns, undefined, JSON.stringify(body));
      assert.match(c.warnings?.join(' ') ?? '', /SNS/);
    }
  });

  it('verifySnsMessage on wrong-typed fields answers "invalid" instead of throwing', async () => {
    const bad = { Type: 'Notification', SignatureVersion: { toString: 1 }, SigningCertURL: 5 } as unknown as SnsMessage;
    const r = await verifySnsMessage(bad);
    assert.equal(r.ok, false);
  });

  it('a Subject that is not a string never becomes the label', () => {
    const c = classifyJson({ Type: 'Notification', MessageId: 'm', TopicArn: 't', Timestamp: 'x', Signature: 's', SigningCertURL: 'https://sns.us-east-1.amazonaws.com/a.pem', SignatureVersion: '1', Message: 'hi', Subject: { a: 1 } });
    assert.equal(typeof c.label, 'string');
  });

  it('redactUrl hides a userinfo password with no user name and other providers’ signed-URL parameters', () => {
    assert.ok(!redactUrl('https://:secret@host.example/x').includes('secret'));
    const gcs = redactUrl('https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%40p.iam&X-Goog-Signature=f00d&X-Goog-Date=20260101T000000Z');
    assert.ok(!gcs.includes('f00d') && !gcs.includes('svc'), gcs);
    const sas = redactUrl('https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026-01-01&sp=r&sig=ab%2Bcd&token=tok1&signature=s1');
    for (const secret of ['ab%2Bcd', 'tok1', 's1']) {
      assert.ok(!sas.includes(secret), sas);
    }
  });

  it('the AWS China SNS hosts are trusted', () => {
    assert.ok(isAwsSnsUrl(new URL('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-x.pem')));
    assert.ok(!isAwsSnsUrl(new URL('https://sns.cn-north-1.amazonaws.com.cn.evil.example/x.pem')));
  });

  it('the SNS signing certificate is fetched once per URL, not for every message', async function () {
    this.timeout(30_000);
    const sns = await startFakeSns();
    try {
      const options = { isTrustedUrl: (u: URL) => u.origin === sns.origin, ca: sns.certPem };
      const message = (id: string) =>
        sns.sign({ Type: 'Notification', MessageId: id, TopicArn: 't', Message: 'hi', Timestamp: '2026-01-01T00:00:00Z' }, '2') as unknown as SnsMessage;
      assert.equal((await verifySnsMessage(message('a'), options)).ok, true);
      assert.equal((await verifySnsMessage(message('b'), options)).ok, true);
      assert.equal(sns.certificateFetches, 1);
    } finally {
      await sns.close();
    }
  });
});

describe('stored history from earlier versions (issue 11: a non-string Subject was persisted as the label)', () => {
  it('a stored label that is not text, and a stored kind this version does not know, read as text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3hooks-stored-'));
    try {
      const file = join(dir, 'events.jsonl');
      const base = { receivedAt: '2026-11-22T10:00:00.000Z', method: 'POST', path: '/', query: '', headers: {}, body: { size: 2, text: '{}' }, status: 200 };
      await writeFile(file, `${JSON.stringify({ ...base, id: 'a', kind: 'snsNotification', label: { a: 1 } })}\n${JSON.stringify({ ...base, id: 'b', kind: 's3-records', label: 'x' })}\n`);
      const h = new EventHistory({ file, cap: 10 });
      await h.load();
      const [a, b] = h.all();
      assert.equal(typeof a.label, 'string');
      assert.equal(b.kind, 'unknown');
      assert.equal(typeof h.get('a')?.label, 'string');
      await h.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
