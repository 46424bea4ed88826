import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client, type S3Connection } from '../s3/connection';
import { deliveryResult, type DeliveryResult, type DeliveryTarget, type HeadAnswer } from './deliveries';

// Loads the AWS SDK: reached only through loadDeliveryChecker() when a check runs.

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function answerFromError(err: unknown, target: DeliveryTarget): HeadAnswer {
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey') {
    return { found: false };
  }
  if (status === 403) {
    return { error: `access denied to s3://${target.bucket}/${target.key} (403): the credentials need s3:GetObject on it (HEAD needs the same permission)`, errorKind: 'accessDenied' };
  }
  if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '')) {
    return { error: `no usable AWS credentials: ${e.message ?? 'none found'}`, errorKind: 'credentials' };
  }
  return { error: `${e.name ?? 'error'}${status ? ` (${status})` : ''}: ${e.message ?? String(err)}`, errorKind: 'other' };
}

/**
 * HEADs each target's bucket and key with the connection's credentials and
 * says what that means (pending, delivered, expired, or why it could not be
 * checked). Never throws for an S3 answer; one client for all targets.
 */
export async function checkDeliveries(connection: S3Connection, targets: readonly DeliveryTarget[], now: () => Date = () => new Date()): Promise<DeliveryResult[]> {
  const client = createS3Client(connection);
  try {
    return await Promise.all(
      targets.map(async (target) => {
        let answer: HeadAnswer;
        try {
          const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key }));
          answer = { found: true, size: head.ContentLength, lastModified: head.LastModified, contentType: head.ContentType };
        } catch (err) {
          answer = answerFromError(err, target);
        }
        return deliveryResult(target, answer, now());
      }),
    );
  } finally {
    client.destroy();
  }
}
