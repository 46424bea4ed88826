import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { createS3Client, credentialProvider, type S3Connection } from '../s3/connection';
import { checkConnection } from '../s3/endpoint';
import { inspectPresignedUrl } from '../url/presignedUrl';
import { describeExpiry } from '../format/duration';
import { formatInstant } from './expiry';
import {
  credentialWarnings,
  PresignError,
  validatePresignRequest,
  type PresignedPut,
  type PresignPutRequest,
  type PresignResult,
  type PresignWarning,
} from './upload';
import { errorText } from '../errorText';

// Loads the AWS SDK: the VS Code layer reaches this module only through a lazy require when it signs.
export * from './upload';

/**
 * Resolves the credentials a connection signs with (explicit keys, else the
 * standard AWS chain), turning the chain's failures into a PresignError a user
 * can act on.
 */
export async function resolveSigningCredentials(connection: S3Connection): Promise<AwsCredentialIdentity> {
  try {
    const credentials = await credentialProvider(connection)();
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new Error('the credentials have no access key id or secret');
    }
    return credentials;
  } catch (err) {
    const detail = errorText(err);
    const where = connection.profile ? `the AWS profile "${connection.profile}"` : 'the standard AWS credential chain (environment variables, ~/.aws files, SSO, instance role)';
    throw new PresignError(`No usable AWS credentials from ${where}: ${detail}`, 'credentials');
  }
}

/** Reads the signing instant and expiry back from a URL the SDK made: the URL is the authority. */
function signedWindow(url: string): { signedAt: Date; expiresAt: Date } {
  const info = inspectPresignedUrl(url);
  if (!info?.signedAt || !info.expiresAt) {
    throw new Error('The SDK produced a URL without X-Amz-Date / X-Amz-Expires.');
  }
  return { signedAt: info.signedAt, expiresAt: info.expiresAt };
}

/**
 * Presigns PUT URLs, one per request, with the SDK (never hand-written SigV4):
 * every request is validated first, credentials are resolved once, the
 * Content-Type is signed when given (`signableHeaders`), and the client
 * computes no checksums so no `x-amz-checksum-*` parameters end up in a URL.
 * Throws PresignError for bad input or missing credentials.
 */
export async function presignPuts(connection: S3Connection, requests: PresignPutRequest[], now: Date = new Date()): Promise<PresignResult> {
  for (const request of requests) {
    validatePresignRequest(request);
  }
  const warnings: PresignWarning[] = [];
  for (const bucket of new Set(requests.map((r) => r.bucket))) {
    const check = checkConnection(connection, bucket);
    if (check.errors.length > 0) {
      throw new PresignError(check.errors[0], 'badInput');
    }
    for (const message of check.warnings) {
      if (!warnings.some((w) => w.message === message)) {
        warnings.push({ code: 'connection', message });
      }
    }
  }
  const credentials = await resolveSigningCredentials(connection);
  const client = createS3Client({ ...connection, credentials });
  const uploads: PresignedPut[] = [];
  try {
    for (const request of requests) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: request.bucket, Key: request.key, ContentType: request.contentType }),
        {
          expiresIn: request.expiresIn,
          signingDate: request.signingDate,
          signableHeaders: request.contentType !== undefined ? new Set(['content-type']) : undefined,
        },
      );
      const { signedAt, expiresAt } = signedWindow(url);
      uploads.push({
        url,
        method: 'PUT',
        headers: request.contentType !== undefined ? { 'Content-Type': request.contentType } : {},
        signedAt,
        expiresAt,
        bucket: request.bucket,
        key: request.key,
      });
    }
  } finally {
    client.destroy();
  }
  if (uploads.length > 0) {
    const latest = uploads.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    warnings.push(...credentialWarnings(credentials, latest.expiresAt, latest.signedAt));
    const dead = uploads.find((u) => u.expiresAt.getTime() <= now.getTime());
    if (dead) {
      warnings.push({
        code: 'alreadyExpired',
        message:
          `The URL is already expired: signed as of ${formatInstant(dead.signedAt)} (a past signing date), it expired at ${formatInstant(dead.expiresAt)}, ` +
          `${describeExpiry(dead.expiresAt, now.getTime())}. S3 will refuse it; sign without a signing date (or with a recent one) for a URL that works.`,
      });
    }
  }
  return { uploads, warnings };
}

/** Presigns one PUT URL; see {@link presignPuts}. */
export async function presignPut(connection: S3Connection, request: PresignPutRequest, now?: Date): Promise<{ upload: PresignedPut; warnings: PresignWarning[] }> {
  const { uploads, warnings } = await presignPuts(connection, [request], now);
  return { upload: uploads[0], warnings };
}

