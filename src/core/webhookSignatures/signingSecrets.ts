import { pathGlob, type PathGlob } from '../pathGlob';
import type { SignatureScheme } from './signatureSchemes';

/** A secret for the requests to some paths: which scheme signs them, and the key. */
export interface SigningSecret {
  paths: PathGlob;
  scheme: SignatureScheme;
  secret: string;
}

/** The scheme names as the user writes them. */
export const schemeSyntax = 'standard (also svix), github, or hmac(<header>,hex|base64[,<prefix>])';

/**
 * Reads a scheme as written after `PATH_GLOB=` and before `:SECRET`:
 * `standard` / `svix`, `github`, `hmac(X-Signature,hex,sha256=)`.
 */
export function parseSignatureScheme(text: string): SignatureScheme {
  const t = text.trim();
  if (t === 'standard' || t === 'svix' || t === 'standard-webhooks') {
    return { kind: 'standard' };
  }
  if (t === 'github') {
    return { kind: 'github' };
  }
  const m = /^hmac\(\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*,\s*(hex|base64)\s*(?:,\s*([^)]*))?\)$/i.exec(t);
  if (m) {
    const prefix = m[3]?.trim();
    return { kind: 'hmac', header: m[1].toLowerCase(), encoding: m[2].toLowerCase() as 'hex' | 'base64', ...(prefix ? { prefix } : {}) };
  }
  throw new Error(`"${text}" is not a signature scheme: use ${schemeSyntax}.`);
}

/**
 * Reads `PATH_GLOB=SCHEME:SECRET` (CLI `--secret`), e.g.
 * `/hooks/github=github:s3cr3t`, `/hooks/**=standard:whsec_…`,
 * `/vendor/*=hmac(X-Signature,base64):key`. The secret is everything after the
 * scheme's colon (it may contain colons).
 */
export function parseSigningSecret(text: string): SigningSecret {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new Error(`"${redactSecretRule(text)}" is not PATH_GLOB=SCHEME:SECRET (for example /hooks/**=github:my-secret).`);
  }
  const rest = text.slice(eq + 1);
  const close = rest.startsWith('hmac(') ? rest.indexOf(')') : -1;
  const colon = rest.indexOf(':', close === -1 ? 0 : close);
  if (colon <= 0 || colon === rest.length - 1) {
    throw new Error(`"${redactSecretRule(text)}" has no secret: write PATH_GLOB=SCHEME:SECRET with SCHEME one of ${schemeSyntax}.`);
  }
  return { paths: pathGlob(text.slice(0, eq)), scheme: parseSignatureScheme(rest.slice(0, colon)), secret: rest.slice(colon + 1) };
}

/** The rule with its secret hidden, for messages and logs. */
export function redactSecretRule(text: string): string {
  const eq = text.indexOf('=');
  if (eq === -1) {
    const colon = text.indexOf(':');
    return colon === -1 ? text : `${text.slice(0, colon + 1)}REDACTED`;
  }
  const rest = text.slice(eq + 1);
  const close = rest.startsWith('hmac(') ? rest.indexOf(')') : -1;
  const colon = rest.indexOf(':', close === -1 ? 0 : close);
  return colon === -1 ? text : `${text.slice(0, eq + 1 + colon + 1)}REDACTED`;
}

/** The first secret whose paths match `path` (the order the user gave them in). */
export function secretFor(secrets: readonly SigningSecret[], path: string): SigningSecret | undefined {
  return secrets.find((s) => s.paths.matches(path));
}
