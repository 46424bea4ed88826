import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { autoFetchSkipReason } from '../../../../src/core/listener/webhookEvent';
import { postJson } from '../../../support/httpClient';
import { historyLines } from '../../../support/historyFile';
import { startTestListener, type TestListener } from '../../../support/testListener';
import { waitFor } from '../../../support/waitFor';


const snsLike = {
  Type: 'Notification',
  MessageId: 'm-1',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
  Message: 'x',
  Timestamp: '2026-01-01T00:00:00.000Z',
  SignatureVersion: '1',
  Signature: 'c2ln',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
};

const presigned =
  'https://bkt.s3.us-east-1.amazonaws.com/k.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20250226%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250226T200817Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef';

describe('webhook listener: hostile input gets an answer and a history line', function () {
  this.timeout(30_000);
  let t: TestListener | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers and stores bodies that make classification or SNS verification throw, and keeps serving', async () => {
    t = await startTestListener();
    const bodies: string[] = [
      // Classification: an SNS Message that is not a string; Klavi/S3 times that are numbers out of range.
      JSON.stringify({ ...snsLike, Message: { a: 1 } }),
      JSON.stringify({ eventId: 'e', eventType: 'analysis', eventTime: 1e300, payload: { presignedUrl: presigned } }),
      JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: 1e20, s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }),
      // Verification: a SignatureVersion that cannot be made a string.
      JSON.stringify({ ...snsLike, SignatureVersion: { toString: 1 } }),
      // Malformed JSON nested far deeper than any parser's stack.
      '['.repeat(200_000),
    ];
    const statuses: number[] = [];
    for (const body of bodies) {
      const r = await postJson(t.url + 'hostile', body);
      assert.ok([200, 400, 403].includes(r.status), `unexpected status ${r.status}: ${r.text}`);
      statuses.push(r.status);
    }
    assert.equal(statuses[4], 400, 'unclosed JSON is malformed');
    const events = await historyLines(t.historyFile);
    assert.deepEqual(
      events.map((e) => e.status),
      statuses,
      'one history line per request, with the status it was answered',
    );
    assert.equal(events[4].kind, 'malformed');
    const ok = await postJson(t.url + 'ping', { ping: true });
    assert.equal(ok.status, 200);
  });

  it('answers 503 within the deadline when deciding takes too long, and records what was answered', async () => {
    // A certificate host that accepts the connection and never answers: verification waits for its own timeout.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      t = await startTestListener({ answerDeadlineMs: 1000, sns: { isTrustedUrl: () => true, timeoutMs: 2500 } });
      const started = Date.now();
      const r = await postJson(t.url + 'sns', { ...snsLike, SigningCertURL: `https://127.0.0.1:${port}/cert.pem` });
      const waited = Date.now() - started;
      assert.equal(r.status, 503, r.text);
      assert.ok(waited < 3000, `answered after ${waited} ms`);
      const listener = t;
      const [event] = await waitFor(async () => {
        const lines = await historyLines(listener.historyFile);
        return lines.length > 0 ? lines : undefined;
      }, 10_000);
      assert.equal(event.status, 503, 'the history says what the provider was answered');
      assert.ok(event.warnings?.some((w) => /answered 503/.test(w)), JSON.stringify(event.warnings));
    } finally {
      silent.close();
    }
  });
});

describe('webhook listener: requests from a web page', function () {
  this.timeout(30_000);
  let t: TestListener | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('stores a request carrying Origin or Sec-Fetch-Site, marked as from a browser page and never auto-fetched', async () => {
    t = await startTestListener();
    const event = { eventId: 'web', eventType: 'analysis', payload: { presignedUrl: presigned } };
    assert.equal((await postJson(t.url + 'a', event, { Origin: 'https://evil.example' })).status, 200);
    assert.equal((await postJson(t.url + 'b', { ...event, eventId: 'web2' }, { 'Sec-Fetch-Site': 'cross-site' })).status, 200);
    assert.equal((await postJson(t.url + 'c', { ...event, eventId: 'provider' })).status, 200);
    const [fromPage, fetchSite, provider] = await historyLines(t.historyFile);
    assert.equal(fromPage.browserOrigin, 'https://evil.example');
    assert.equal(fetchSite.browserOrigin, 'cross-site');
    assert.equal(provider.browserOrigin, undefined);
    assert.ok(fromPage.warnings?.some((w) => /web page/.test(w)), JSON.stringify(fromPage.warnings));
    assert.match(autoFetchSkipReason(fromPage) ?? '', /web page/);
    assert.equal(autoFetchSkipReason(provider), undefined);
  });
});
