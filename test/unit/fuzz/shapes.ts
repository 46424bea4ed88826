import fc from 'fast-check';
import { fieldOf, hostileJson, presignedUrlText } from '../../support/fuzz';

// Bodies shaped like each wire format, with every field sometimes of the right type and often not.

const text = fc.string({ maxLength: 20 });
const time = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.double(), fc.stringMatching(/^\d{1,30}$/));

export const klaviBody = fc.record(
  {
    eventId: fieldOf(text),
    eventType: fieldOf(text),
    eventName: fieldOf(text),
    eventTime: fieldOf(time),
    payload: fieldOf(fc.record({ batchId: fieldOf(text), presignedUrl: fieldOf(presignedUrlText), eventTime: fieldOf(time) }, { requiredKeys: [] })),
    presigned_url: fieldOf(presignedUrlText),
  },
  { requiredKeys: [] },
);

const s3Object = fc.record({ key: fieldOf(text), size: fieldOf(fc.nat()), eTag: fieldOf(text), sequencer: fieldOf(text), versionId: fieldOf(text) }, { requiredKeys: [] });

const s3Record = fc.record(
  {
    eventName: fieldOf(text),
    eventTime: fieldOf(time),
    awsRegion: fieldOf(text),
    responseElements: fieldOf(fc.record({ 'x-amz-request-id': fieldOf(text) })),
    s3: fieldOf(fc.record({ bucket: fieldOf(fc.record({ name: fieldOf(text) })), object: fieldOf(s3Object) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

export const s3Body = fc.record({ Records: fieldOf(fc.array(fieldOf(s3Record), { maxLength: 3 })) });

export const eventBridgeBody = fc.record(
  {
    source: fieldOf(fc.constant('aws.s3')),
    'detail-type': fieldOf(text),
    id: fieldOf(text),
    time: fieldOf(time),
    region: fieldOf(text),
    detail: fieldOf(fc.record({ bucket: fieldOf(fc.record({ name: fieldOf(text) })), object: fieldOf(s3Object) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

export const voiceBaseBody = fc.record({
  mediaId: fieldOf(text),
  streams: fieldOf(fc.array(fc.record({ streamName: fieldOf(text), streamLocation: fieldOf(presignedUrlText) }, { requiredKeys: [] }), { maxLength: 3 })),
  callbacks: fieldOf(fc.array(fc.record({ url: fieldOf(presignedUrlText), method: fieldOf(fc.constantFrom('PUT', 'GET', 'post')) }), { maxLength: 2 })),
});

const snsType = fc.constantFrom('Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation');

/** SNS bodies; `Message` is sometimes the JSON of another shaped body. */
export function snsBody(inner: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      Type: fieldOf(snsType),
      MessageId: fieldOf(text),
      TopicArn: fieldOf(text),
      Subject: fieldOf(text),
      Message: fieldOf(fc.oneof(text, inner.map((v) => JSON.stringify(v) ?? ''))),
      Timestamp: fieldOf(time),
      SignatureVersion: fieldOf(fc.constantFrom('1', '2', '3')),
      Signature: fieldOf(fc.base64String()),
      SigningCertURL: fieldOf(fc.constantFrom('https://sns.us-east-1.amazonaws.com/x.pem', 'https://127.0.0.1/x.pem', 'not a url')),
      Token: fieldOf(text),
      SubscribeURL: fieldOf(fc.webUrl()),
    },
    { requiredKeys: ['Type'] },
  );
}

export const vkConfirmationBody = fc.record(
  { Type: fieldOf(fc.constant('SubscriptionConfirmation')), TopicArn: fieldOf(text), Timestamp: fieldOf(text), Token: fieldOf(text), topicarn: fieldOf(text) },
  { requiredKeys: [] },
);

/** Any body a provider (or an attacker) could post: each wire format's shape, SNS-wrapped ones, and anything at all. */
export const anyBody: fc.Arbitrary<unknown> = fc.oneof(
  klaviBody,
  s3Body,
  eventBridgeBody,
  voiceBaseBody,
  vkConfirmationBody,
  snsBody(fc.oneof(s3Body, klaviBody)),
  hostileJson,
  fc.array(fc.oneof(klaviBody, s3Body), { maxLength: 3 }),
);
