import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { checkSignature, parseSigningSecret, redactSecretRule, secretFor, startSignatureCheck, verdictText } from '../../../src/core/webhookSignatures';

/** HMAC-SHA256 computed by Python's hmac module in a separate process, so the vectors do not come from the code under test. */
function pythonHmac(key: Buffer, message: Buffer, encoding: 'hex' | 'base64'): string {
  const script =
    'import sys,hmac,hashlib,base64;k=base64.b64decode(sys.argv[1]);m=base64.b64decode(sys.argv[2]);d=hmac.new(k,m,hashlib.sha256).digest();' +
    'print(d.hex() if sys.argv[3]=="hex" else base64.b64encode(d).decode())';
  return execFileSync('python3', ['-c', script, key.toString('base64'), message.toString('base64'), encoding], { encoding: 'utf8' }).trim();
}

describe('webhook signatures', () => {
  describe('Standard Webhooks', () => {
    // The example published with the Standard Webhooks / Svix documentation.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = Buffer.from('{"test": 2432232314}');
    const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    const now = 1614265330 + 10;

    it('accepts the published example, and Python agrees with the signature', () => {
      const expected = pythonHmac(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'), Buffer.concat([Buffer.from('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.'), body]), 'base64');
      assert.equal(`v1,${expected}`, headers['webhook-signature']);
      assert.deepEqual(checkSignature({ kind: 'standard' }, secret, headers, body, now), { result: 'valid', scheme: 'standard' });
    });

    it('reads the svix- header names and a list of signatures (key rotation)', () => {
      const svix = {
        'svix-id': headers['webhook-id'],
        'svix-timestamp': headers['webhook-timestamp'],
        'svix-signature': `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${headers['webhook-signature']}`,
      };
      assert.equal(checkSignature({ kind: 'standard' }, secret, svix, body, now).result, 'valid');
    });

    it('says ✗ for a changed body or another secret, and "stale timestamp" beyond five minutes', () => {
      assert.equal(checkSignature({ kind: 'standard' }, secret, headers, Buffer.from('{"test": 2432232315}'), now).result, 'invalid');
      assert.equal(checkSignature({ kind: 'standard' }, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers, body, now).result, 'invalid');
      const stale = checkSignature({ kind: 'standard' }, secret, headers, body, 1614265330 + 301);
      assert.equal(verdictText(stale), 'stale timestamp');
      assert.match(stale.detail ?? '', /5 min old/);
      assert.equal(checkSignature({ kind: 'standard' }, secret, headers, body, 1614265330 + 300).result, 'valid');
    });

    it('names what is missing', () => {
      assert.match(checkSignature({ kind: 'standard' }, secret, {}, body).detail ?? '', /no webhook-signature/);
      assert.match(checkSignature({ kind: 'standard' }, secret, { 'webhook-signature': 'v1,x' }, body).detail ?? '', /no webhook-id or webhook-timestamp/);
      assert.match(checkSignature({ kind: 'standard' }, 'not base64!', headers, body, now).detail ?? '', /not a whsec_ secret/);
    });

    it('gives the same verdict when the body arrives in pieces', () => {
      const check = startSignatureCheck({ kind: 'standard' }, secret, headers, now);
      for (const piece of [body.subarray(0, 3), body.subarray(3, 11), body.subarray(11)]) {
        check.update(piece);
      }
      assert.equal(check.finish().result, 'valid');
    });
  });

  describe('GitHub and generic HMAC', () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x00, 0x7d]);
    const key = Buffer.from("It's a Secret to Everybody");

    it('checks X-Hub-Signature-256 against an independently computed HMAC', () => {
      const hex = pythonHmac(key, body, 'hex');
      assert.equal(checkSignature({ kind: 'github' }, key.toString(), { 'x-hub-signature-256': `sha256=${hex}` }, body).result, 'valid');
      const flipped = `sha256=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
      assert.equal(checkSignature({ kind: 'github' }, key.toString(), { 'x-hub-signature-256': flipped }, body).result, 'invalid');
      assert.match(checkSignature({ kind: 'github' }, key.toString(), { 'x-hub-signature-256': hex }, body).detail ?? '', /does not start with sha256=/);
      assert.match(checkSignature({ kind: 'github' }, key.toString(), {}, body).detail ?? '', /no x-hub-signature-256 header/);
    });

    it('checks a vendor header in base64 with a prefix, and in hex without one', () => {
      const b64 = pythonHmac(key, body, 'base64');
      const rule = parseSigningSecret(`/vendor/*=hmac(X-Vendor-Signature,base64,v0=):${key.toString()}`);
      assert.equal(checkSignature(rule.scheme, rule.secret, { 'x-vendor-signature': `v0=${b64}` }, body).result, 'valid');
      const hexRule = parseSigningSecret(`/v=hmac(X-Sig,hex):${key.toString()}`);
      assert.equal(checkSignature(hexRule.scheme, hexRule.secret, { 'x-sig': pythonHmac(key, body, 'hex') }, body).result, 'valid');
      assert.equal(checkSignature(hexRule.scheme, hexRule.secret, { 'x-sig': 'abcd' }, body).result, 'invalid', 'a shorter signature is refused, not compared');
    });
  });

  describe('PATH_GLOB=SCHEME:SECRET', () => {
    it('reads each scheme, keeps colons in the secret, and picks the first matching path', () => {
      const secrets = ['/hooks/github=github:a:b:c', '/hooks/**=standard:whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '/x=svix:whsec_QQ=='].map(parseSigningSecret);
      assert.deepEqual(secrets[0].scheme, { kind: 'github' });
      assert.equal(secrets[0].secret, 'a:b:c');
      assert.deepEqual(secrets[2].scheme, { kind: 'standard' });
      assert.equal(secretFor(secrets, '/hooks/github'), secrets[0]);
      assert.equal(secretFor(secrets, '/hooks/a/b'), secrets[1]);
      assert.equal(secretFor(secrets, '/other'), undefined);
    });

    it('refuses malformed rules without repeating the secret', () => {
      assert.throws(() => parseSigningSecret('/hooks=gitlab:topsecret'), /"gitlab" is not a signature scheme/);
      assert.throws(() => parseSigningSecret('/hooks=github'), /has no secret/);
      assert.throws(() => parseSigningSecret('hooks=github:topsecret'), /start it with \//);
      assert.throws(() => parseSigningSecret('github:topsecret'), (err: Error) => !err.message.includes('topsecret'));
      assert.equal(redactSecretRule('/a=hmac(X-S,hex,p:):sec:ret'), '/a=hmac(X-S,hex,p:):REDACTED');
    });
  });
});
