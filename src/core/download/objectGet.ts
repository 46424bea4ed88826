import type { S3Connection } from '../s3/connection';

/**
 * Presigns a GET for an object with the SDK and the connection's credentials
 * (see presignObjectGet in fetchReference.ts, which loads this on first use
 * and turns its errors into DownloadErrors: this bundle has no copy of
 * that class, so `instanceof` keeps working for the callers).
 */
export async function presignObjectGetWithSdk(
  connection: S3Connection,
  object: { bucket: string; key: string; versionId?: string },
  expiresInSeconds: number,
): Promise<string> {
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
  // require, not import(): a relative dynamic import would need the ESM loader; the bundler keeps this lazy either way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createS3Client } = require('../s3/connection') as typeof import('../s3/connection');
  const client = createS3Client(connection);
  try {
    return await getSignedUrl(client, new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }), {
      expiresIn: expiresInSeconds,
    });
  } finally {
    client.destroy();
  }
}
