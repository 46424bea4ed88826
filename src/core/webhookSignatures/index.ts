export {
  checkSignature,
  startSignatureCheck,
  verdictText,
  schemeName,
  timestampToleranceSeconds,
  type SignatureScheme,
  type SignatureVerdict,
  type SignatureCheck,
} from './signatureSchemes';
export { parseSignatureScheme, parseSigningSecret, redactSecretRule, secretFor, schemeSyntax, type SigningSecret } from './signingSecrets';
