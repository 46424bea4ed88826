import { createVerify, X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { readSnsMessage, type SnsMessage } from '../events/shapes/sns';
import { isObject } from '../events/shapes/fields';
import { httpRequest } from '../http';
import { errorText } from '../errorText';

export { isSnsMessage, readSnsMessage, type SnsMessage, type SnsMessageType } from '../events/shapes/sns';

/**
 * The canonical string SNS signs: `Key\nValue\n` for a fixed list of keys in
 * this order. Notifications: Message, MessageId, Subject (only when present),
 * Timestamp, TopicArn, Type. (Un)subscribe confirmations: Message, MessageId,
 * SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function snsStringToSign(message: SnsMessage): string {
  const keys: (keyof SnsMessage)[] =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', ...(message.Subject !== undefined ? (['Subject'] as const) : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.map((k) => `${k}\n${String(message[k] ?? '')}\n`).join('');
}

/**
 * The default rule for URLs SNS messages make us fetch (the signing certificate
 * and SubscribeURL): HTTPS on `sns.<region>.amazonaws.com` (or the China
 * partition's `sns.<region>.amazonaws.com.cn`), default port. Anything else
 * could be an attacker's certificate or an arbitrary request.
 */
export function isAwsSnsUrl(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && /^sns\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.test(url.hostname);
}

/** How SNS messages are verified; the defaults are for real AWS. */
export interface SnsVerifyOptions {
  /** Which certificate and SubscribeURL addresses may be fetched. Default {@link isAwsSnsUrl}; tests relax it for a local server. */
  isTrustedUrl?: (url: URL) => boolean;
  /** Extra trusted CA certificates (PEM) for the HTTPS fetch; for tests serving a certificate locally. */
  ca?: string | Buffer;
  /** Fetch timeout, ms. Default 10 s. */
  timeoutMs?: number;
  /** Cache of certificate PEMs by URL. Default: one cache for the process (SNS reuses a few certificates for months). */
  certificateCache?: Map<string, string>;
}

/** Certificates fetched so far, by URL; only certificates that parsed and were valid when fetched are kept. */
const processCertificates = new Map<string, string>();
const maxCachedCertificates = 50;

/** The result of checking an SNS message's signature. */
export type SnsVerification = { ok: true; certificateUrl: string } | { ok: false; reason: string };

const maxCertificateBytes = 64 * 1024;

/** GETs a small HTTPS resource as text through the core HTTP helper (deadline, size cap, hop policy; no redirects). */
async function httpsGetText(url: URL, options: SnsVerifyOptions, maxBytes: number): Promise<{ status: number; text: string }> {
  const answer = await httpRequest(url, { ca: options.ca, timeoutMs: options.timeoutMs ?? 10_000, maxBytes });
  return { status: answer.status, text: answer.body.toString('utf8') };
}

function trustedUrl(raw: string | undefined, options: SnsVerifyOptions, what: string): URL | string {
  if (!raw) {
    return `${what} is missing`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${what} is not a URL`;
  }
  const trusted = (options.isTrustedUrl ?? isAwsSnsUrl)(url);
  return trusted ? url : `${what} ${url.origin} is not an https://sns.<region>.amazonaws.com address (nor .amazonaws.com.cn); refusing to trust it`;
}

/**
 * Verifies an SNS message's signature: the certificate must come from a trusted
 * address (default `https://sns.<region>.amazonaws.com/…pem`), be currently
 * valid, and its key must verify `Signature` over {@link snsStringToSign} with
 * SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2). Never throws: failures
 * are returned with a reason.
 */
export async function verifySnsMessage(untrusted: SnsMessage, options: SnsVerifyOptions = {}): Promise<SnsVerification> {
  // Callers may hold a message cast from JSON: read it again so a wrong-typed field is a reason, not a throw.
  const read = readSnsMessage(untrusted);
  if (!read?.ok) {
    return { ok: false, reason: read ? read.reason : 'not an SNS message (no known Type with a Signature and SigningCertURL)' };
  }
  const message = read.message;
  const version = message.SignatureVersion;
  const algorithm = version === '1' ? 'RSA-SHA1' : version === '2' ? 'RSA-SHA256' : undefined;
  if (!algorithm) {
    return { ok: false, reason: `unsupported SignatureVersion ${JSON.stringify(message.SignatureVersion)} (expected "1" or "2")` };
  }
  const url = trustedUrl(message.SigningCertURL, options, 'SigningCertURL');
  if (typeof url === 'string') {
    return { ok: false, reason: url };
  }
  if (!url.pathname.endsWith('.pem')) {
    return { ok: false, reason: 'SigningCertURL does not name a .pem certificate' };
  }
  const cache = options.certificateCache ?? processCertificates;
  let pem = cache.get(url.href);
  if (pem === undefined) {
    try {
      const res = await httpsGetText(url, options, maxCertificateBytes);
      if (res.status !== 200) {
        return { ok: false, reason: `fetching the signing certificate got HTTP ${res.status}` };
      }
      pem = res.text;
    } catch (err) {
      return { ok: false, reason: `could not fetch the signing certificate: ${errorText(err)}` };
    }
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: 'the signing certificate is not a valid X.509 PEM certificate' };
  }
  const now = Date.now();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
    return { ok: false, reason: `the signing certificate is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})` };
  }
  if (!cache.has(url.href)) {
    if (cache.size >= maxCachedCertificates) {
      cache.clear();
    }
    cache.set(url.href, pem);
  }
  const verifier = createVerify(algorithm);
  verifier.update(snsStringToSign(message), 'utf8');
  let valid: boolean;
  try {
    valid = verifier.verify(certificate.publicKey, message.Signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? { ok: true, certificateUrl: url.href } : { ok: false, reason: 'the message signature does not match its content' };
}

/**
 * Confirms an SNS subscription by GETting its `SubscribeURL` (only a trusted
 * SNS address). Resolves to the SubscriptionArn SNS answers with; rejects with
 * a readable message otherwise.
 */
export async function confirmSnsSubscription(message: SnsMessage, options: SnsVerifyOptions = {}): Promise<{ subscriptionArn?: string }> {
  const url = trustedUrl(message.SubscribeURL, options, 'SubscribeURL');
  if (typeof url === 'string') {
    throw new Error(url);
  }
  const res = await httpsGetText(url, options, 256 * 1024);
  const xml = readXml(res.text);
  if (res.status < 200 || res.status >= 300) {
    const code = findText(xml, 'Code');
    throw new Error(`SNS answered HTTP ${res.status}${code ? ` (${code})` : ''} to the SubscribeURL`);
  }
  return { subscriptionArn: findText(xml, 'SubscriptionArn') };
}

const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true });

/** SNS's XML answer as an object; undefined when it is not XML. */
function readXml(text: string): unknown {
  try {
    return xmlParser.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The text of the first element named `name`, depth first (`ErrorResponse/Error/Code`, `…Result/SubscriptionArn`). */
function findText(node: unknown, name: string, depth = 0): string | undefined {
  if (!isObject(node) || depth > 16) {
    return undefined;
  }
  const here = node[name];
  if (typeof here === 'string') {
    return here;
  }
  for (const child of Object.values(node)) {
    const found = findText(Array.isArray(child) ? child[0] : child, name, depth + 1);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}
