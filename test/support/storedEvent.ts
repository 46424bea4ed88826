import type { WebhookEvent } from '../../src/core/listener/webhookEvent';

/** A stored event as the history holds it, with only what these functions read. */
export function storedEvent(patch: Partial<WebhookEvent> & { body: WebhookEvent['body'] }): WebhookEvent {
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
