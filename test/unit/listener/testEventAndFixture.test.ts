import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureProblem, saveEventAsFixture } from '../../../src/core/listener/fixture';
import { listenerReplayTarget, replayAnswerText } from '../../../src/core/listener/replay';
import { demoConnection, parseDemoDescription, testEventRequest } from '../../../src/core/listener/testEvent';
import type { WebhookEvent } from '../../../src/core/listener/webhookEvent';
import { inspectPresignedUrl } from '../../../src/core/url/presignedUrl';

/** A stored event as the history holds it, with only what these functions read. */
function event(patch: Partial<WebhookEvent> & { body: WebhookEvent['body'] }): WebhookEvent {
  return {
    id: 'e1',
    receivedAt: '2026-12-01T10:20:30.456Z',
    method: 'POST',
    path: '/hooks/klavi',
    query: '',
    headers: {},
    kind: 'klavi',
    label: 'Klavi analysis',
    ...patch,
  } as WebhookEvent;
}

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

describe('Replay target and answer (core/listener/replay)', () => {
  it("goes back to the listener on the event's own path and query", () => {
    assert.equal(listenerReplayTarget(event({ path: '/a/b', query: 'x=1', body: { size: 0 } }), 'http://127.0.0.1:8765/'), 'http://127.0.0.1:8765/a/b?x=1');
    assert.equal(listenerReplayTarget(event({ path: '/a', query: '', body: { size: 0 } }), 'http://127.0.0.1:8765'), 'http://127.0.0.1:8765/a');
  });

  it('renders the answer: request line, status and time, headers, body, a cut mark and what was not sent', () => {
    const text = replayAnswerText(event({ body: { size: 0 } }), 'http://127.0.0.1:3000/hook', {
      status: 202,
      headers: { 'content-type': 'text/plain' },
      body: 'handled',
      truncated: true,
      durationMs: 12.4,
      omittedHeaders: ['authorization'],
    });
    assert.equal(
      text,
      'POST http://127.0.0.1:3000/hook\n→ HTTP 202 in 12 ms\n\ncontent-type: text/plain\n\nhandled\n… (cut at 64 KiB)\n\nNot sent (redacted when stored): authorization\n',
    );
  });
});

describe('Save as Fixture (core/listener/fixture)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-hooks-fixture-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an inline body under its fixture name, and never replaces a file: the second save gets " (1)"', async () => {
    const e = event({ body: { size: 11, text: '{"a": true}' } });
    const first = await saveEventAsFixture(e, join(dir, 'new', 'folder'));
    const second = await saveEventAsFixture(e, join(dir, 'new', 'folder'));
    assert.notEqual(first, second);
    assert.match(second, / \(1\)\.json$/);
    assert.equal(await readFile(first, 'utf8'), '{"a": true}');
    assert.equal(await readFile(second, 'utf8'), '{"a": true}');
  });

  it('copies a received file', async () => {
    const received = join(dir, 'received.bin');
    await writeFile(received, Buffer.from([0, 1, 2, 255]));
    const saved = await saveEventAsFixture(event({ body: { size: 4, file: received } }), join(dir, 'out'));
    assert.deepEqual(await readFile(saved), Buffer.from([0, 1, 2, 255]));
  });

  it('refuses an event whose body was over the size limit, writing nothing', async () => {
    const dropped = event({ body: { size: 10_000_000, dropped: true } });
    assert.match(fixtureProblem(dropped) ?? '', /over the size limit/);
    await assert.rejects(saveEventAsFixture(dropped, join(dir, 'out')), /over the size limit/);
    assert.deepEqual(await readdir(dir), []);
  });
});
