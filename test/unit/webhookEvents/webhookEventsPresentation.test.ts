import * as assert from 'node:assert/strict';
import type { WebhookEvent } from '../../../src/core/listener/webhookEvent';
import { contextValueFor, displayPath, eventItemView, tooltipMarkdown } from '../../../src/webhookEvents/webhookEventsPresentation';

function event(patch: Partial<WebhookEvent>): WebhookEvent {
  return {
    id: 'e1',
    receivedAt: '2026-12-01T10:20:30.000Z',
    method: 'POST',
    path: '/hooks/vk',
    query: '',
    headers: {},
    body: { size: 10, text: '{"a":1}' },
    kind: 'vkConfirmation',
    label: 'SubscriptionConfirmation',
    status: 200,
    ...patch,
  };
}

describe('Webhook Events rows (webhookEventsPresentation, no vscode)', () => {
  it('hides a presigned signature in the shown path', () => {
    const path = displayPath(event({ path: '/cb', query: 'X-Amz-Signature=abcdef0123&X-Amz-Credential=AK%2F1&x=1' }));
    assert.doesNotMatch(path, /abcdef0123/);
    assert.match(path, /^\/cb\?/);
  });

  it('menus: replayable unless dropped; file references, received files, a confirmable SNS subscription', () => {
    assert.equal(contextValueFor(event({})), 'webhookEvent kind-vkConfirmation replayable');
    assert.equal(contextValueFor(event({ body: { size: 5, dropped: true } })), 'webhookEvent kind-vkConfirmation');
    assert.equal(
      contextValueFor(event({ kind: 'snsSubscriptionConfirmation', fileReferences: 1, body: { size: 5, file: '/r/f.bin' }, sns: { verified: true } })),
      'webhookEvent kind-snsSubscriptionConfirmation hasFileReference snsConfirmable receivedFile replayable',
    );
  });

  it('a row: duplicate marked, red icon for an error answer, grey for a redelivery', () => {
    const dup = eventItemView(event({ duplicateOf: 'e0' }));
    assert.equal(dup.label, 'SubscriptionConfirmation (duplicate)');
    assert.deepEqual(dup.icon, { id: 'key', color: 'disabledForeground' });
    assert.deepEqual(eventItemView(event({ status: 500 })).icon, { id: 'key', color: 'errorForeground' });
    assert.match(eventItemView(event({})).description, / · \/hooks\/vk · 200$/);
    assert.equal(eventItemView(event({})).accessibilityLabel, 'Bucket webhook confirmation (VK Cloud / LinxCloud / Hotbox), SubscriptionConfirmation, POST /hooks/vk, answered 200');
  });

  it('tooltip: the label cannot inject markdown; answers and signed URLs are code, URLs redacted', () => {
    const md = tooltipMarkdown(event({ label: '**[click](x)**', answer: '{"signature":"`a`"}', signedUrl: 'https://h/p?X-Amz-Signature=secret123' }));
    assert.match(md, /^\*\*Bucket webhook confirmation \(VK Cloud \/ LinxCloud \/ Hotbox\)\*\*: click\(x\)\n\n/);
    assert.match(md, /answered \*\*200\*\* `\{"signature":"'a'"\}`/);
    assert.doesNotMatch(md, /secret123/);
  });
});
