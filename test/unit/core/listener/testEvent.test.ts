import * as assert from 'node:assert/strict';
import { demoConnection, parseDemoDescription, testEventRequest } from '../../../../src/core/listener/testEvent';
import { inspectPresignedUrl } from '../../../../src/core/url/presignedUrl';

describe('Send Test Event requests (core/listener/testEvent)', () => {
  it('reads demo.json: endpoint and bucket required, region defaulted, anything else refused', () => {
    assert.deepEqual(parseDemoDescription('{"endpoint":"http://127.0.0.1:4568","bucket":"demo"}'), {
      endpoint: 'http://127.0.0.1:4568',
      bucket: 'demo',
      region: 'us-east-1',
      forcePathStyle: undefined,
    });
    assert.equal(parseDemoDescription('{"endpoint":"http://127.0.0.1:4568"}'), undefined);
    assert.equal(parseDemoDescription('{"endpoint":7,"bucket":"demo"}'), undefined);
    assert.equal(parseDemoDescription('null'), undefined);
    assert.equal(parseDemoDescription('not json'), undefined);
  });

  it("connects to the demo server with the user's keys, path style unless the demo says otherwise", () => {
    const keys = { accessKeyId: 'AK', secretAccessKey: 'SK' };
    const demo = { endpoint: 'http://127.0.0.1:4568', bucket: 'demo', region: 'eu-west-1' };
    assert.deepEqual(demoConnection({ region: 'us-east-1', credentials: keys, profile: 'p' }, demo), {
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
      credentials: keys,
      profile: 'p',
    });
    assert.equal(demoConnection({ region: 'us-east-1' }, { ...demo, forcePathStyle: false }).forcePathStyle, false);
  });

  it('a VK confirmation carries the SNS message-type header; an S3 notification names the demo bucket or an example one', async () => {
    const vk = await testEventRequest('vkConfirmation');
    assert.equal(vk.path, 'test/vk-confirmation');
    assert.equal(vk.headers['X-Amz-Sns-Message-Type'], 'SubscriptionConfirmation');
    assert.equal(vk.body.Type, 'SubscriptionConfirmation');
    assert.equal(vk.fileUrl, undefined);

    const records = (r: Record<string, unknown>) => (r.Records as { s3: { bucket: { name: string } } }[])[0].s3.bucket.name;
    assert.equal(records((await testEventRequest('s3Records')).body), 'example-bucket');
  });

  it('without a demo, the Klavi event points at an example presigned URL that is not live', async () => {
    const klavi = await testEventRequest('klaviAnalysis');
    assert.equal(klavi.path, 'test/klavi');
    assert.equal(klavi.live, false);
    assert.ok(klavi.fileUrl);
    assert.equal((klavi.body.payload as { presignedUrl: string }).presignedUrl, klavi.fileUrl);
    const info = inspectPresignedUrl(klavi.fileUrl);
    assert.equal(info?.signatureVersion, 'v4');
  });
});
