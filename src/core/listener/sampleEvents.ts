import { randomBytes, randomUUID } from 'node:crypto';

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
