import type { S3Connection } from '../s3/connection';
import { demoResultUrl, exampleResultUrl, sampleKlaviAnalysis, sampleS3Records, sampleVkConfirmation, type SampleEventKind } from './sampleEvents';

export { postSampleEvent } from './sampleEvents';

/** `sample/.s3-hooks/demo.json`, written by `npm start`: where its demo S3 server is. */
export interface DemoDescription {
  endpoint: string;
  region: string;
  bucket: string;
  forcePathStyle?: boolean;
}

/** Reads a demo.json text; undefined when it is not JSON or names no endpoint and bucket. */
export function parseDemoDescription(text: string): DemoDescription | undefined {
  let demo: Partial<DemoDescription>;
  try {
    demo = JSON.parse(text) as Partial<DemoDescription>;
  } catch {
    return undefined;
  }
  if (typeof demo?.endpoint !== 'string' || typeof demo.bucket !== 'string' || !demo.endpoint || !demo.bucket) {
    return undefined;
  }
  return { endpoint: demo.endpoint, bucket: demo.bucket, region: typeof demo.region === 'string' ? demo.region : 'us-east-1', forcePathStyle: demo.forcePathStyle };
}

/** The demo server's connection: its endpoint and region over the user's (keys, profile); path style unless it says otherwise. */
export function demoConnection(base: S3Connection, demo: DemoDescription): S3Connection {
  return { ...base, endpoint: demo.endpoint, region: demo.region, forcePathStyle: demo.forcePathStyle ?? true };
}

/** What `Send Test Event` posts for one kind. */
export interface TestEventRequest {
  /** Path under the listener's URL, without the leading slash. */
  path: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** The Klavi event's presigned URL, and whether it points at a real object (the demo bucket) or is an example. */
  fileUrl?: string;
  live?: boolean;
}

/**
 * The request for a test event of `kind`. With the `npm start` demo (its
 * connection and bucket), the S3 notification names the demo bucket and the
 * Klavi event points at a real object put there; without, at an example URL
 * that has the right shape but cannot be fetched.
 */
export async function testEventRequest(kind: SampleEventKind, demo?: { connection: S3Connection; bucket: string }): Promise<TestEventRequest> {
  if (kind === 'vkConfirmation') {
    return { path: 'test/vk-confirmation', body: sampleVkConfirmation(), headers: { 'X-Amz-Sns-Message-Type': 'SubscriptionConfirmation' } };
  }
  if (kind === 's3Records') {
    return { path: 'test/s3-records', body: sampleS3Records(demo?.bucket ?? 'example-bucket', 'uploads/test file.json'), headers: {} };
  }
  const fileUrl = demo ? (await demoResultUrl(demo.connection, demo.bucket)).url : await exampleResultUrl();
  return { path: 'test/klavi', body: sampleKlaviAnalysis(fileUrl), headers: {}, fileUrl, live: demo !== undefined };
}
