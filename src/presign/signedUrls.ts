/**
 * The Content-Type each URL S3 Hooks signed in this session carries. A URL does
 * not say which value it signs, only that it signs one; the key's extension is
 * a guess that a re-signed URL (same key, another type) would defeat. Capped:
 * only recent URLs matter for a document being edited.
 */
const maxRemembered = 1000;
const signedTypes = new Map<string, string>();

/** Remembers what a URL signs (`''`: no Content-Type). */
export function rememberSignedType(url: string, contentType: string | undefined): void {
  signedTypes.delete(url);
  signedTypes.set(url, contentType ?? '');
  if (signedTypes.size > maxRemembered) {
    signedTypes.delete(signedTypes.keys().next().value!);
  }
}

/** The Content-Type a URL signed in this session signs, if S3 Hooks made it. */
export function signedTypeOf(url: string): string | undefined {
  const type = signedTypes.get(url);
  return type === '' ? undefined : type;
}
