import { randomBytes, randomUUID } from 'node:crypto';
import { httpRequest } from '../http';
import type { S3Connection } from '../s3/connection';

/** Test events `Send Test Event` posts, so a user sees the whole flow with no provider account. */
export type SampleEventKind = 'vkConfirmation' | 's3Records' | 'klaviAnalysis';

/** An ISO timestamp with a +03:00 offset, the way VK Cloud writes `Timestamp`. */
function moscowTime(now: Date): string {
  const local = new Date(now.getTime() + 3 * 3600_000).toISOString().replace(/\.\d+Z$/, '');
  return `${local}+03:00`;
}

/** A VK Cloud / LinxCloud / Hotbox `SubscriptionConfirmation` (FORMATS.md §3) with a fresh token. */
export function sampleVkConfirmation(now = new Date()): Record<string, unknown> {
  return {
    Timestamp: moscowTime(now),
    Type: 'SubscriptionConfirmation',
    Message:
      'You have chosen to subscribe to the topic $topic\nTo confirm the subscription you need to response with calculated signature',
    TopicArn: 'mcs00000000|s3-hooks-test|s3:ObjectCreated:Put',
    SignatureVersion: 1,
    Token: randomBytes(24).toString('base64url'),
  };
}

/** An S3-style bucket notification for one created object (key URL-encoded, as S3 sends it). */
export function sampleS3Records(bucket: string, key: string, size = 100, now = new Date()): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: now.toISOString(),
        eventName: 's3:ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 's3-hooks-test',
          bucket: { name: bucket, ownerIdentity: { principalId: 's3-hooks' } },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size,
            eTag: randomBytes(16).toString('hex'),
            sequencer: now.getTime().toString(16).toUpperCase(),
          },
        },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase() },
      },
    ],
  };
}

/** A Klavi-style "analysis finished" event (FORMATS.md §2) pointing at `presignedUrl`. */
export function sampleKlaviAnalysis(presignedUrl: string, now = new Date()): Record<string, unknown> {
  return {
    partnerAppId: '12345678',
    eventId: `${now.getTime()}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    eventType: 'analysis',
    eventName: 'analysis finished',
    eventTime: now.toISOString(),
    payload: { batchId: String(now.getTime()).slice(-11), presignedUrl },
  };
}

/**
 * Puts a small demo result into `bucket` and returns a presigned GET URL for
 * it (one hour), for a Klavi test event whose file can really be fetched
 * (the `npm start` demo bucket, or any bucket the connection may write to).
 */
export async function demoResultUrl(connection: S3Connection, bucket: string, now = new Date()): Promise<{ url: string; key: string }> {
  const key = `s3-hooks-demo/analysis-${now.toISOString().replace(/[:.]/g, '-')}.json`;
  // The SDK is loaded only when a test event needs it (require: a relative dynamic import would need the ESM loader).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PutObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { createS3Client } = require('../s3/connection') as typeof import('../s3/connection');
  const { presignObjectGet } = require('../download/fetchReference') as typeof import('../download/fetchReference');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = createS3Client(connection);
  try {
    const body = JSON.stringify({ demo: true, createdAt: now.toISOString(), analysis: { sentiment: 'positive', words: 42 } }, null, 2);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
  } finally {
    client.destroy();
  }
  return { url: await presignObjectGet(connection, { bucket, key }, 3600), key };
}

/**
 * A presigned-looking GET URL signed with made-up keys for a bucket that is
 * not yours: the event has the right shape, but fetching it fails (S3 answers
 * 403). For test events when no demo bucket is around.
 */
export async function exampleResultUrl(now = new Date()): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { presignObjectGet } = require('../download/fetchReference') as typeof import('../download/fetchReference');
  return presignObjectGet(
    { region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
    { bucket: 'example-results-bucket', key: `results/analysis-${now.getTime()}.json` },
    3600,
  );
}

/** POSTs a JSON body to a URL; resolves to the status and answer text. */
export async function postSampleEvent(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const answer = await httpRequest(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    timeoutMs: 10_000,
  });
  return { status: answer.status, text: answer.body.toString('utf8') };
}
