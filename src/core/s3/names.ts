/**
 * Bucket-name and object-key checks, made before signing so that a typo is
 * reported in plain words instead of surfacing later as a vendor's failed
 * delivery. The rules are AWS's for general-purpose buckets, which S3-compatible
 * services follow too.
 */

/**
 * Why a bucket name cannot work, in a sentence a user understands; undefined
 * when it is valid.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.trim() === '') {
    return 'Enter a bucket name.';
  }
  if (/^s3:\/\//i.test(name)) {
    return `Enter the bucket name only (for example "${name.replace(/^s3:\/\//i, '').split('/')[0]}"), not an s3:// address.`;
  }
  if (/^https?:\/\//i.test(name)) {
    return 'Enter the bucket name only, not a URL: the endpoint is a separate setting.';
  }
  if (/^arn:/i.test(name)) {
    return 'Enter the bucket name only, not an ARN.';
  }
  if (name !== name.trim()) {
    return 'The bucket name starts or ends with a space.';
  }
  if (name.includes('/')) {
    return `A bucket name cannot contain "/": put the path into the key, and only "${name.split('/')[0]}" into the bucket.`;
  }
  if (name.length < 3 || name.length > 63) {
    return `A bucket name is 3 to 63 characters long; "${name}" has ${name.length}.`;
  }
  if (/[A-Z_]/.test(name)) {
    // Suggest a name that is itself valid: "My_Bucket" → "my-bucket", not "my_bucket".
    const suggestion = name.toLowerCase().replace(/_/g, '-');
    const rule = /[A-Z]/.test(name) ? (/_/.test(name) ? 'lowercase, with hyphens "-" instead of underscores "_"' : 'lowercase') : 'written with hyphens "-", never underscores "_"';
    return `Bucket names are ${rule}: "${suggestion}"?`;
  }
  const bad = /[^a-z0-9.-]/.exec(name);
  if (bad) {
    return `Bucket names use only lowercase letters, digits, dots and hyphens; "${bad[0]}" is not allowed.`;
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'A bucket name must begin and end with a letter or a digit.';
  }
  if (name.includes('..')) {
    return 'A bucket name cannot contain two dots in a row.';
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return 'A bucket name cannot look like an IP address.';
  }
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) {
      return `Bucket names cannot start with "${prefix}".`;
    }
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) {
      return `Bucket names cannot end with "${suffix}" (reserved for access points and directory buckets).`;
    }
  }
  return undefined;
}

/**
 * Why an object key cannot work as the target of a presigned URL; undefined
 * when it is fine. Beyond S3's own limits (1 to 1024 UTF-8 bytes), it refuses
 * keys that S3 would accept but a URL cannot carry faithfully: "." and ".."
 * segments are collapsed by curl and by browsers before the request is sent,
 * so the upload would land elsewhere (or fail its signature check).
 */
export function objectKeyProblem(key: string): string | undefined {
  if (key === '') {
    return 'Enter an object key (the path of the file inside the bucket).';
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > 1024) {
    return `An object key is at most 1024 bytes of UTF-8; this one has ${bytes}.`;
  }
  if (key.startsWith('/')) {
    return `The key starts with "/": S3 keys have no leading slash. Use "${key.replace(/^\/+/, '')}".`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) {
    return 'The key contains a control character (a line break or tab?).';
  }
  if (key.endsWith('/')) {
    return 'The key ends with "/", which names a folder: add a file name.';
  }
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'The key has a "." or ".." segment: URL tools collapse those before sending, so the upload would go to another key.';
  }
  return undefined;
}
