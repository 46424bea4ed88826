import * as assert from 'node:assert/strict';
import { redactRawHeaders, redactUrl, redactUrlsInText } from '../../../src/core/redact';

describe('redaction (core/redact)', () => {
  it('free text: a URL with an apostrophe in its path keeps its signature hidden (found by npm run fuzz)', () => {
    const line = `GET https://b.s3.amazonaws.com/John's%20call.wav?X-Amz-Signature=f00d&X-Amz-Credential=AKID failed`;
    const shown = redactUrlsInText(line);
    assert.ok(!shown.includes('f00d') && !shown.includes('AKID'), shown);
    assert.match(shown, /^GET https:\/\/b\.s3\.amazonaws\.com\/John's%20call\.wav\?X-Amz-Signature=REDACTED/);
  });

  it('free text: a URL in quotes or brackets keeps the punctuation outside it; a cut URL still loses its secrets', () => {
    assert.equal(redactUrlsInText(`'https://h/x?sig=abc'.`), `'https://h/x?sig=REDACTED'.`);
    assert.equal(redactUrlsInText('(see https://h/x?token=abc)'), '(see https://h/x?token=REDACTED)');
    assert.equal(redactUrlsInText('h/x?a=1&X-Goog-Signature=abc'), 'h/x?a=1&X-Goog-Signature=REDACTED');
  });

  it('URLs: ordinary parameters, paths and hosts are left as they are', () => {
    const plain = 'https://example.com/a/b?page=2&sort=asc#top';
    assert.equal(redactUrl(plain), plain);
    assert.equal(redactUrl('not a url'), 'not a url');
  });

  it('headers: secret values hidden, repeated values joined, names lower-cased', () => {
    assert.deepEqual(redactRawHeaders(['Authorization', 'Bearer x', 'X-Thing', 'a', 'x-thing', 'b', 'X-Amz-SNS-Message-Type', 'Notification']), {
      authorization: 'REDACTED',
      'x-thing': 'a, b',
      'x-amz-sns-message-type': 'Notification',
    });
  });
});
