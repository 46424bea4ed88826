import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { confirmationSignature, verifyConfirmationSignature, type ConfirmationFields } from '../../../../src/core/confirmation/signature';
import { readVkConfirmation } from '../../../../src/core/events/shapes';

/**
 * An independent implementation: Python's hmac module, with the argument order
 * of FORMATS.md §3 written out again here (key = Token, msg = Timestamp; key =
 * k1, msg = TopicArn; key = k2, msg = Url), run in a separate process.
 */
function pythonSignature(f: ConfirmationFields): string {
  const script = [
    'import hmac, hashlib, sys',
    'url, arn, ts, token = (a.encode("utf-8") for a in sys.argv[1:5])',
    'k1 = hmac.new(token, ts, hashlib.sha256).digest()',
    'k2 = hmac.new(k1, arn, hashlib.sha256).digest()',
    'print(hmac.new(k2, url, hashlib.sha256).hexdigest())',
  ].join('\n');
  return execFileSync('python3', ['-c', script, f.url, f.topicArn, f.timestamp, f.token], { encoding: 'utf8' }).trim();
}

/** The sample confirmation of seeds/003 (LinxCloud / Hotbox documentation), byte for byte. */
const seedBody =
  '{"Timestamp":"2021-04-22T16:48:37+03:00","Type":"SubscriptionConfirmation","Message":"You have chosen to subscribe to the topic $topic\\\\nTo confirm the subscription you need to response with calculated signature","TopicArn":"mcs00000000|test|s3:ObjectCreated:Put","SignatureVersion":1,"Token":"9fbYYWYGANVGeQ3s9VKxrYgynwqu65PwQ6zr7bVvU4WKXf2W"}';
/** The answer the seed publishes; it does not say which Url it was computed over. */
const seedPublishedSignature = '98f5f6db741e0e292809bf95ea6c0302fe98b68530e5281bc741269f06270f49';

describe('confirmation signature (FORMATS.md §3)', () => {
  const seed = readVkConfirmation(JSON.parse(seedBody));
  assert.ok('fields' in seed);
  const seedFields = seed.fields;

  it('reads TopicArn, Timestamp and Token from the seed sample exactly as sent', () => {
    assert.deepEqual(seedFields, {
      topicArn: 'mcs00000000|test|s3:ObjectCreated:Put',
      timestamp: '2021-04-22T16:48:37+03:00',
      token: '9fbYYWYGANVGeQ3s9VKxrYgynwqu65PwQ6zr7bVvU4WKXf2W',
    });
  });

  it('matches Python hmac for the seed sample over several registered URLs', () => {
    for (const url of ['https://example.com/', 'https://hooks.example.org/vk?x=1', 'http://127.0.0.1:8765/', 'https://x.trycloudflare.com/webhook']) {
      const ours = confirmationSignature({ ...seedFields, url });
      assert.match(ours, /^[0-9a-f]{64}$/);
      assert.equal(ours, pythonSignature({ ...seedFields, url }), url);
    }
  });

  it('matches Python hmac for non-ASCII and unusual bytes (UTF-8, pipes, plus signs, newlines)', () => {
    const fields: ConfirmationFields = {
      url: 'https://пример.рф/хук?a=1+2',
      topicArn: 'mcs1|тест|s3:ObjectRemoved:*',
      timestamp: '2024-01-01T00:00:00.123+03:00',
      token: 'tok\nwith newline and ünïcode',
    };
    assert.equal(confirmationSignature(fields), pythonSignature(fields));
  });

  it('is a pinned value for a hand-checked vector (guards against a silent change of argument order)', () => {
    // Computed with Python hmac (above) for the seed's fields and https://example.com/.
    assert.equal(
      confirmationSignature({ ...seedFields, url: 'https://example.com/' }),
      '445cb971bfdbcdc5a093398ec1dec8166b09884407e9a394b65eb28290b2598c',
    );
  });

  it("the seed's published answer 98f5… is not reproduced by any obvious Url (it was computed over an unknown one)", () => {
    const hosts = ['', 'localhost', '127.0.0.1', 'example.com', 'hb.bizmrg.com', 'mcs00000000'];
    const candidates: string[] = [];
    for (const host of hosts) {
      for (const scheme of ['', 'http://', 'https://']) {
        for (const path of ['', '/', '/webhook', '/hook', '/callback']) {
          candidates.push(`${scheme}${host}${path}`);
        }
      }
    }
    for (const url of candidates) {
      assert.notEqual(confirmationSignature({ ...seedFields, url }), seedPublishedSignature, url);
    }
  });

  it('verifies a right signature (any case) and rejects a wrong URL, a changed byte, and non-hex', () => {
    const fields = { ...seedFields, url: 'https://hooks.example.org/vk' };
    const sig = confirmationSignature(fields);
    assert.ok(verifyConfirmationSignature(fields, sig));
    assert.ok(verifyConfirmationSignature(fields, ` ${sig.toUpperCase()}\n`));
    assert.ok(!verifyConfirmationSignature({ ...fields, url: 'https://hooks.example.org/vk/' }, sig));
    assert.ok(!verifyConfirmationSignature({ ...fields, timestamp: fields.timestamp.replace('+03:00', 'Z') }, sig));
    assert.ok(!verifyConfirmationSignature(fields, sig.slice(0, 63) + (sig[63] === '0' ? '1' : '0')));
    assert.ok(!verifyConfirmationSignature(fields, 'not hex'));
  });

  it('reports missing fields instead of signing over undefined', () => {
    assert.deepEqual(readVkConfirmation({ Type: 'SubscriptionConfirmation', Token: 'x' }), { missing: ['TopicArn', 'Timestamp'] });
    assert.deepEqual(readVkConfirmation([]), { missing: ['TopicArn', 'Timestamp', 'Token'] });
    // Values are signed as strings byte for byte: a numeric Timestamp is not silently converted.
    assert.deepEqual(readVkConfirmation({ TopicArn: 'a', Timestamp: 5, Token: 't' }), { missing: ['Timestamp'] });
  });
});
