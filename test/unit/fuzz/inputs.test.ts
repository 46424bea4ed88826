import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { readGivenSignature } from '../../../src/core/confirmation/answer';
import { confirmationSignature, verifyConfirmationSignature } from '../../../src/core/confirmation/signature';
import { fileNameFromContentDisposition, numberedName, sanitizeFileName } from '../../../src/core/download';
import { describeDuration, describeExpiry, formatAgo, formatDuration, formatInstant } from '../../../src/core/format/duration';
import { HopRefusedError, nextHop } from '../../../src/core/http/hops';
import { receivedFileName } from '../../../src/core/listener/receivedFile';
import { fixtureFileName } from '../../../src/core/listener/replay';
import type { WebhookEvent } from '../../../src/core/listener/webhookEvent';
import { parseExpiry } from '../../../src/core/presign/expiry';
import { isSecretParam, redactedMark, redactUrl, redactUrlsInText } from '../../../src/core/redact';
import { inspectPresignedUrl, parseAmzDate } from '../../../src/core/url/presignedUrl';
import { webhookEventKinds } from '../../../src/core/events/shapes';
import { fuzzParameters, presignedUrlText } from '../../support/fuzz';

// Property: each parser returns a result or throws only its documented error class.

const anyDate = fc.oneof(fc.date(), fc.double().map((n) => new Date(n)), fc.constant(new Date(Number.NaN)));

function assertFileName(name: string): void {
  assert.equal(typeof name, 'string');
  assert.ok(name.length > 0, 'empty name');
  assert.ok(!name.includes('/') && !name.includes('\\') && !name.includes('\u0000'), `path characters in ${JSON.stringify(name)}`);
  assert.ok(name !== '.' && name !== '..', name);
  assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
}

describe('fuzz: URL inspector, redaction, formatters, confirmation answers, file names', () => {
  it('inspectPresignedUrl: a real expiry instant or an expiryProblem, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(presignedUrlText, fc.string()), (text) => {
        const info = inspectPresignedUrl(text);
        if (info) {
          assert.ok(info.expiresAt === undefined || !Number.isNaN(info.expiresAt.getTime()));
          assert.ok(info.signedAt === undefined || !Number.isNaN(info.signedAt.getTime()));
          assert.equal(typeof info.redacted, 'string');
          describeExpiry(info.expiresAt);
        }
      }),
      fuzzParameters(400),
    );
  });

  it('parseAmzDate: a date whose parts are the ones written, or undefined', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{8}T\d{6}Z$/), fc.string()), (text) => {
        const date = parseAmzDate(text);
        assert.ok(date === undefined || date.toISOString().replace(/[-:]|\.000/g, '') === text.trim().toUpperCase());
      }),
      fuzzParameters(300),
    );
  });

  it('redactUrl hides every secret parameter value and the password, for any URL', () => {
    const secretName = fc.constantFrom('X-Amz-Signature', 'x-amz-credential', 'X-Goog-Signature', 'sig', 'token', 'access_token', 'Signature', 'se', 'client_secret', 'api-key');
    const secretValue = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/).map((s) => `SeCrEt${s}`);
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), secretName, secretValue, fc.boolean(), (base, name, value, inUserinfo) => {
        const url = new URL(base);
        url.searchParams.append(name, value);
        if (inUserinfo) {
          url.password = `${value}pw`;
        }
        const shown = redactUrl(url.toString());
        assert.ok(!shown.includes(value), shown);
        assert.ok(shown.includes(redactedMark));
        assert.ok(!redactUrlsInText(`GET ${url.toString()} failed`).includes(value));
      }),
      fuzzParameters(300),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        assert.equal(typeof redactUrl(text), 'string');
        assert.equal(typeof redactUrlsInText(text), 'string');
        isSecretParam(text);
      }),
      fuzzParameters(200),
    );
  });

  it('formatters return text for any number or date, Invalid Date included', () => {
    fc.assert(
      fc.property(fc.double(), anyDate, fc.string(), fc.nat(), (n, date, iso, seconds) => {
        assert.match(describeDuration(seconds), /^\d+ (second|minute|hour|day)s?$/);
        for (const text of [formatDuration(n), describeExpiry(date, n), formatInstant(date), formatAgo(iso, n), formatAgo(date.getTime() ? String(date.getTime()) : undefined)]) {
          assert.equal(typeof text, 'string');
        }
        
      }),
      fuzzParameters(300),
    );
  });

  it('readGivenSignature and the confirmation signature: a result for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.stringMatching(/^[0-9a-fA-F]{64}$/)), fc.string(), fc.string(), fc.string(), fc.string(), (given, url, topicArn, timestamp, token) => {
        const read = readGivenSignature(given);
        const fields = { url, topicArn, timestamp, token };
        if (read.ok) {
          assert.equal(typeof verifyConfirmationSignature(fields, read.signature), 'boolean');
        } else {
          assert.match(read.problem, /signature/);
        }
        assert.match(confirmationSignature(fields), /^[0-9a-f]{64}$/);
      }),
      fuzzParameters(200),
    );
  });

  it('parseExpiry throws only RangeError; nextHop only HopRefusedError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{1,30}(\.\d{1,5})?[smhdSMHD]?$/)), (text) => {
        try {
          assert.ok(Number.isFinite(parseExpiry(text)));
        } catch (err) {
          assert.ok(err instanceof RangeError, String(err));
        }
      }),
      fuzzParameters(200),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('gopher://x:70/', 'file:///etc/passwd', 'http://[fd00:ec2::254]/', '//169.254.169.254/x', 'http://0xa9fea9fe/')), fc.nat({ max: 8 }), (location, count) => {
        try {
          const next = nextHop(location, new URL('https://example.com/a/b'), count, 5);
          assert.ok(next.protocol === 'https:');
        } catch (err) {
          assert.ok(err instanceof HopRefusedError, String(err));
        }
      }),
      fuzzParameters(300),
    );
  });

  it('file names from keys, headers, request paths and event labels are safe, non-empty names', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('..', '.', '/etc/passwd', 'con.txt', ' . ', '%2e%2e', '\u0000')), fc.nat({ max: 10_000 }), (raw, n) => {
        const name = sanitizeFileName(raw);
        assertFileName(name);
        assertFileName(numberedName(name, n));
        const proposed = fileNameFromContentDisposition(`attachment; filename*=UTF-8''${encodeURIComponent(raw)}`);
        assertFileName(sanitizeFileName(proposed));
      }),
      fuzzParameters(300),
    );
    fc.assert(
      // The id is the listener's own (hex); the path and Content-Type are the sender's.
      fc.property(fc.uuid(), fc.date({ noInvalidDate: true }), fc.string({ unit: 'binary' }), fc.option(fc.string()), (id, at, path, type) => {
        assertFileName(receivedFileName(id, at, path, type ?? undefined));
      }),
      fuzzParameters(300),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom(...webhookEventKinds), fc.option(fc.string()), (label, kind, text) => {
        const event: WebhookEvent = { id: 'e', receivedAt: '2026-01-01T00:00:00.000Z', method: 'POST', path: '/', query: '', headers: {}, body: { size: 0, text: text ?? undefined }, kind, label, status: 200 };
        assertFileName(fixtureFileName(event));
      }),
      fuzzParameters(200),
    );
  });
});
