import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client } from '../../src/core/s3/connection';
import type { DemoContext } from './demoContent';

const hour = 3600;

/**
 * `npm start` demo content for fetching files from events: result objects in the demo bucket and,
 * in sample/live/, events pointing at them, so that a new user can right-click each one and see
 * both outcomes:
 * - klavi-analysis.live.klavi-event.json: a Klavi event with a live presigned GET (24 hours);
 * - klavi-analysis.expired.klavi-event.json: the same event two days old, its link long expired;
 * - voicebase-media.live.json: a VoiceBase v3 media result whose streams carry presigned GET URLs;
 * - object-created.live.s3-event.json: an S3 notification naming an object (fetched with the demo
 *   keys through the SDK, no URL).
 */
export async function fetchEventsDemo(demo: DemoContext): Promise<void> {
  const { s3, liveDir } = demo;
  const client = createS3Client(s3.connection);
  try {
    const objects: Record<string, { body: string; type: string }> = {
      'results/klavi/25872252137-analysis.json': {
        body: `${JSON.stringify({ batchId: '25872252137', status: 'done', accounts: 3, score: 712, generatedAt: new Date().toISOString() }, null, 2)}\n`,
        type: 'application/json',
      },
      'voicebase/media/7f2d5c1e/transcript.srt': { body: '1\n00:00:00,000 --> 00:00:02,500\nHello, thanks for calling.\n', type: 'text/srt' },
      'voicebase/media/7f2d5c1e/original.wav': { body: 'RIFF (demo audio placeholder)', type: 'audio/wav' },
      'uploads/call recording 42.txt': { body: 'A file uploaded to the demo bucket; the S3 notification below names it.\n', type: 'text/plain' },
    };
    for (const [key, { body, type }] of Object.entries(objects)) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body, ContentType: type }));
    }
    const presign = (key: string, expiresIn: number, signingDate?: Date) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: s3.bucket, Key: key }), { expiresIn, signingDate });

    const now = new Date();
    const klavi = (eventTime: Date, presignedUrl: string, eventId: string) => ({
      partnerAppId: '12345678',
      eventId,
      eventType: 'analysis',
      eventName: 'analysis finished',
      eventTime: eventTime.toISOString(),
      payload: { batchId: '25872252137', presignedUrl },
    });
    const write = (name: string, value: unknown) => writeFile(join(liveDir, name), `${JSON.stringify(value, null, 2)}\n`);

    await write(
      'klavi-analysis.live.klavi-event.json',
      klavi(now, await presign('results/klavi/25872252137-analysis.json', 24 * hour), `${now.getTime()}-0e73d1719173766fe4dfe1a8`),
    );
    const twoDaysAgo = new Date(now.getTime() - 48 * hour * 1000);
    await write(
      'klavi-analysis.expired.klavi-event.json',
      klavi(twoDaysAgo, await presign('results/klavi/25872252137-analysis.json', hour, twoDaysAgo), `${twoDaysAgo.getTime()}-5d1e0c2b9a8f7e6d5c4b3a29`),
    );
    await write('voicebase-media.live.json', {
      mediaId: '7f2d5c1e',
      status: 'finished',
      dateCreated: now.toISOString(),
      streams: [
        { streamName: 'original', streamLocation: await presign('voicebase/media/7f2d5c1e/original.wav', 6 * hour) },
        { streamName: 'transcript-srt', streamLocation: await presign('voicebase/media/7f2d5c1e/transcript.srt', 6 * hour) },
      ],
    });
    await write('object-created.live.s3-event.json', {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: s3.region,
          eventTime: now.toISOString(),
          eventName: 's3:ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'demo',
            bucket: { name: s3.bucket },
            object: { key: 'uploads/call+recording+42.txt', size: objects['uploads/call recording 42.txt'].body.length, sequencer: '0065A1B2C3D4E5F6' },
          },
          responseElements: { 'x-amz-request-id': 'DEMO1234567890' },
        },
      ],
    });
    demo.log(`4 events in sample/live/ (live Klavi and VoiceBase links, an expired Klavi link, an S3 notification) for s3://${s3.bucket}`);
  } finally {
    client.destroy();
  }
}
