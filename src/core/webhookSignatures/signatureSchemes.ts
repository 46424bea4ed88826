import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

/**
 * How a sender signs its webhooks:
 * - `standard`: Standard Webhooks (also Svix): `webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64> …` (or the same under `svix-`), HMAC-SHA256
 *   over `<id>.<timestamp>.<body>` with the base64 key of a `whsec_` secret.
 * - `github`: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 over the body.
 * - `hmac`: a vendor's own HMAC-SHA256 of the body in one header, hex or base64, after an optional prefix.
 */
export type SignatureScheme =
  | { kind: 'standard' }
  | { kind: 'github' }
  | { kind: 'hmac'; header: string; encoding: 'hex' | 'base64'; prefix?: string };

/** The outcome of one check, as the tree and the CLI show it. */
export interface SignatureVerdict {
  result: 'valid' | 'invalid' | 'stale';
  /** `standard`, `github` or `hmac(<header>)`. */
  scheme: string;
  /** Why, in the user's words (which header is missing, how old the timestamp is). */
  detail?: string;
}

/** Standard Webhooks' default tolerance: a timestamp further than this from now is refused as a replay. */
export const timestampToleranceSeconds = 5 * 60;

/** Text for a verdict: `signature ✓`, `signature ✗`, `stale timestamp`. */
export function verdictText(verdict: SignatureVerdict): string {
  return verdict.result === 'valid' ? 'signature ✓' : verdict.result === 'stale' ? 'stale timestamp' : 'signature ✗';
}

export function schemeName(scheme: SignatureScheme): string {
  return scheme.kind === 'hmac' ? `hmac(${scheme.header})` : scheme.kind;
}

/** A check being fed the body as it arrives; {@link finish} gives the verdict. */
export interface SignatureCheck {
  update(chunk: Buffer): void;
  finish(): SignatureVerdict;
}

/**
 * Starts checking a request's signature. `headers` are the request's own
 * (names in lower case, values not redacted); the body is fed with `update`,
 * so a large received file need not be in memory. `nowSeconds` is for tests.
 */
export function startSignatureCheck(
  scheme: SignatureScheme,
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const name = schemeName(scheme);
  const fail = (result: 'invalid' | 'stale', detail: string): SignatureCheck => ({ update: () => undefined, finish: () => ({ result, scheme: name, detail }) });
  if (scheme.kind === 'standard') {
    const prefix = headers['webhook-signature'] !== undefined ? 'webhook' : headers['svix-signature'] !== undefined ? 'svix' : undefined;
    if (!prefix) {
      return fail('invalid', 'no webhook-signature (or svix-signature) header');
    }
    const id = headers[`${prefix}-id`];
    const timestamp = headers[`${prefix}-timestamp`];
    if (id === undefined || timestamp === undefined) {
      return fail('invalid', `no ${prefix}-id or ${prefix}-timestamp header`);
    }
    const key = standardWebhooksKey(secret);
    if (!key) {
      return fail('invalid', 'the secret is not a whsec_ secret (base64 after whsec_)');
    }
    const hmac = createHmac('sha256', key).update(`${id}.${timestamp}.`);
    const provided = (headers[`${prefix}-signature`] ?? '')
      .split(' ')
      .filter((part) => part.startsWith('v1,'))
      .map((part) => Buffer.from(part.slice(3), 'base64'));
    return {
      update: (chunk) => hmac.update(chunk),
      finish: () => {
        const expected = hmac.digest();
        if (!provided.some((p) => sameBytes(p, expected))) {
          return { result: 'invalid', scheme: name, detail: provided.length === 0 ? 'no v1 signature in the header' : 'no v1 signature matches' };
        }
        const age = nowSeconds - Number(timestamp);
        if (!/^\d+$/.test(timestamp) || Math.abs(age) > timestampToleranceSeconds) {
          return { result: 'stale', scheme: name, detail: `the ${prefix}-timestamp is ${describeAge(age, timestamp)}` };
        }
        return { result: 'valid', scheme: name };
      },
    };
  }
  const header = scheme.kind === 'github' ? 'x-hub-signature-256' : scheme.header.toLowerCase();
  const prefix = scheme.kind === 'github' ? 'sha256=' : (scheme.prefix ?? '');
  const encoding = scheme.kind === 'github' ? 'hex' : scheme.encoding;
  const value = headers[header];
  if (value === undefined) {
    return fail('invalid', `no ${header} header`);
  }
  if (!value.startsWith(prefix)) {
    return fail('invalid', `the ${header} header does not start with ${prefix}`);
  }
  const provided = Buffer.from(value.slice(prefix.length).trim(), encoding);
  const hmac: Hmac = createHmac('sha256', secret);
  return {
    update: (chunk) => hmac.update(chunk),
    finish: () =>
      sameBytes(provided, hmac.digest()) ? { result: 'valid', scheme: name } : { result: 'invalid', scheme: name, detail: `the ${header} header does not match the body` },
  };
}

/** Checks a whole body at once. */
export function checkSignature(
  scheme: SignatureScheme,
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  nowSeconds?: number,
): SignatureVerdict {
  const check = startSignatureCheck(scheme, secret, headers, nowSeconds);
  check.update(body);
  return check.finish();
}

function standardWebhooksKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    return undefined;
  }
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}

/** Constant-time comparison (timingSafeEqual needs equal lengths; a length difference is not secret). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function describeAge(age: number, timestamp: string): string {
  if (!Number.isFinite(age)) {
    return `not a Unix time (${timestamp})`;
  }
  const minutes = Math.round(Math.abs(age) / 60);
  return age > 0 ? `${minutes} min old (more than ${timestampToleranceSeconds / 60} min)` : `${minutes} min in the future`;
}
