import * as assert from 'node:assert/strict';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import type { DeliveryResult } from '../../src/core/deliveries/deliveries';
import { deliveryItemText } from '../../src/core/deliveries/presentation';
import { formatInstant } from '../../src/core/format/duration';
import { createS3Client } from '../../src/core/s3/connection';
import type { S3HooksApi } from '../../src/api';
import type { DeliveryNode } from '../../src/deliveries/callbackDeliveriesProvider';
import type { PresignCommandResult } from '../../src/presign/resultPresenter';
import { postJson } from '../support/httpClient';
import { when } from './conditions';
import { activateS3Hooks } from './extensionUnderTest';
import { LocalS3Workspace } from './localS3Workspace';

const bucket = 'bkt';
const srt = '1\n00:00:00,000 --> 00:00:01,000\nlate\n';

/** An S3 event notification for one created object, as a bucket's webhook configuration POSTs it (FORMATS.md §3). */
function objectCreated(key: string, size: number, eTag: string, sequencer: number): unknown {
  return {
    Records: [
      {
        eventVersion: '1.0',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 's3:ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: '1',
          bucket: { name: bucket, ownerIdentity: { principalId: 'mcs2883541269' } },
          // Keys in notifications are URL-encoded with '+' for a space.
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size, eTag, sequencer },
        },
        requestParameters: { sourceIPAddress: '185.6.245.156' },
        userIdentity: { principalId: '2407013e-cbc1-415f-9102-16fb9bd6946b' },
        responseElements: { 'x-amz-request-id': 'VGJR5rtJ' },
      },
    ],
  };
}

describe('Callback Deliveries marked by the Webhook listener in a real VS Code', function () {
  const local = new LocalS3Workspace();
  let api: S3HooksApi;
  const received: string[] = [];
  let receiving: vscode.Disposable | undefined;

  before(async () => {
    ({ api } = await activateS3Hooks());
    await local.start([bucket]);
    receiving = api.webhookListener.onDidReceiveEvent((e) => received.push(e.id));
  });

  after(async () => {
    receiving?.dispose();
    await vscode.commands.executeCommand(CommandIds.stopWebhookListener);
    for (const id of received) {
      await vscode.commands.executeCommand(CommandIds.deleteWebhookEvent, { id });
    }
    for (const document of api.callbackDeliveries.list().filter((d) => local.opened.some((u) => u.toString() === d.uri))) {
      await vscode.commands.executeCommand(CommandIds.untrackCallbackDocument, { kind: 'document', document } satisfies DeliveryNode);
    }
    await local.stop();
  });

  /**
   * A callback document whose URL has already expired, tracked from the command as a user would:
   * "expired, not delivered" and no longer watched, so no poll can change it afterwards and only
   * the listener's notification can (a pending URL is polled every few seconds, which would mark
   * it whether or not the listener is wired to the deliveries).
   */
  async function trackExpired(id: string): Promise<{ uri: vscode.Uri; key: string }> {
    const signed = new Date(Date.now() - 120_000).toISOString();
    const args = { bucket, keyTemplate: 'late deliveries/{id}/{name}.{ext}', transcript: ['srt'], expiresIn: 60, id, signingDate: signed };
    const created = await vscode.commands.executeCommand<PresignCommandResult>(CommandIds.createCallbackJson, args);
    local.opened.push(created.document);
    await vscode.commands.executeCommand(CommandIds.trackCallbackDeliveries, created.document);
    const tracked = api.callbackDeliveries.get(created.document.toString());
    assert.ok(tracked, `${id} is tracked`);
    assert.deepEqual(tracked.results.map((r) => [r.key, r.state]), [[`late deliveries/${id}/transcript.srt`, 'expired']]);
    assert.equal(api.callbackDeliveries.isWatching(tracked.uri), false, 'an expired URL is not polled');
    return { uri: created.document, key: tracked.results[0].key };
  }

  /** The vendor's upload landing (begun before the URL expired): the object as S3 stores it. */
  async function land(key: string): Promise<{ size: number; eTag: string; lastModified: Date }> {
    const client = createS3Client(local.s3.connection);
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: srt, ContentType: 'text/srt' }));
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { size: head.ContentLength!, eTag: head.ETag!.replace(/"/g, ''), lastModified: head.LastModified! };
    } finally {
      client.destroy();
    }
  }

  const resultOf = (uri: vscode.Uri): DeliveryResult | undefined => api.callbackDeliveries.get(uri.toString())?.results[0];
  const delivered = (uri: vscode.Uri, what: string) =>
    when(api.callbackDeliveries.onDidChange, () => (resultOf(uri)?.state === 'delivered' ? resultOf(uri) : undefined), what, 5_000);

  it('an S3 ObjectCreated notification for a tracked key marks it delivered at once; one for another key does not', async () => {
    // Tracked second, so a listener that marked every tracked document would reach this one first.
    const other = await trackExpired('other');
    const mine = await trackExpired('mine');
    const otherObject = await land(other.key);
    const myObject = await land(mine.key);
    assert.equal(resultOf(mine.uri)?.state, 'expired', 'stored, but nobody told the extension yet');

    const url = await vscode.commands.executeCommand<string>(CommandIds.startWebhookListener, { port: 0 });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    assert.equal((await postJson(`${url}s3/notify`, objectCreated(other.key, otherObject.size, otherObject.eTag, 1))).status, 200);
    await delivered(other.uri, 'the notified key delivered');
    assert.equal(resultOf(mine.uri)?.state, 'expired', 'a notification for another key leaves this one alone');

    const sent = Date.now();
    assert.equal((await postJson(`${url}s3/notify`, objectCreated(mine.key, myObject.size, myObject.eTag, 2))).status, 200);
    const result = await delivered(mine.uri, 'the tracked key delivered after its notification');
    assert.equal(result.size, Buffer.byteLength(srt));
    assert.equal(result.storedContentType, 'text/srt');
    assert.equal(result.contentTypeMatches, true);
    assert.equal(result.lastModified, myObject.lastModified.toISOString(), 'the time S3 stored it');
    assert.ok(Date.parse(result.checkedAt) >= sent - 1000, 'checked when the notification came');

    // What the Callback Deliveries view shows for it.
    const item = deliveryItemText(result);
    assert.equal(item.description, `delivered · ${Buffer.byteLength(srt)} B · text/srt`);
    assert.equal(item.contextValue, 'delivery.delivered');
    assert.ok(item.tooltip.includes(`Stored ${formatInstant(myObject.lastModified)}`), item.tooltip);
    assert.equal(received.length, 2, 'both notifications are in Webhook Events');
  });
});
