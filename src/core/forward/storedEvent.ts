import type { WebhookEvent } from '../listener/webhookEvent';
import { inlineBody } from '../listener/webhookEvent';
import type { ForwardableRequest } from './forwarder';

/**
 * A stored event as a request to forward again ("Forward Again"): its method,
 * headers and body. Header values redacted when the event was stored cannot be
 * sent (`omitted` names them: a signature header among them means the app's
 * own check will fail on this copy).
 */
export function storedEventRequest(event: WebhookEvent): { request: ForwardableRequest; omitted: string[] } {
  if (event.body.dropped) {
    throw new Error('This event has no body to forward: it was over the size limit and was not kept.');
  }
  const rawHeaders: string[] = [];
  const omitted: string[] = [];
  for (const [name, value] of Object.entries(event.headers)) {
    if (value === 'REDACTED') {
      omitted.push(name);
    } else {
      rawHeaders.push(name, value);
    }
  }
  const inline = inlineBody(event);
  const body = inline ?? (event.body.file ? { file: event.body.file, size: event.body.size } : Buffer.alloc(0));
  return { request: { method: event.method, rawHeaders, body, remoteAddress: event.remoteAddress }, omitted };
}
