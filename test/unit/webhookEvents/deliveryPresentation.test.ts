import * as assert from 'node:assert/strict';
import { eventFilterPredicate, formatEventFilter, parseEventFilter } from '../../../src/core/listener/eventFilter';
import type { WebhookEvent } from '../../../src/core/listener/webhookEvent';
import { appAnswerText, deliveryContextFlags, deliveryTooltip, eventDescription, previousEvent } from '../../../src/webhookEvents/deliveryPresentation';

function event(fields: Partial<WebhookEvent>): WebhookEvent {
  return {
    id: 'e1',
    receivedAt: '2026-12-01T10:00:00.000Z',
    method: 'POST',
    path: '/hooks/s3',
    query: '',
    headers: {},
    body: { size: 2, text: '{}' },
    kind: 's3Records',
    label: 's3:ObjectCreated:Put',
    status: 200,
    ...fields,
  };
}

const forwarded = (fields: Partial<NonNullable<WebhookEvent['forward']>>): WebhookEvent['forward'] => ({
  target: 'http://localhost:3000/hooks/s3',
  at: '2026-12-01T10:00:00.050Z',
  attempts: 1,
  durationMs: 12.4,
  ...fields,
});

describe('Webhook Events: what the view says about forwarding', () => {
  it('shows the app\'s answer as → status · time, or → refused', () => {
    assert.equal(appAnswerText(event({ forward: forwarded({ status: 201 }) })), '→ 201 · 12 ms');
    assert.equal(appAnswerText(event({ forward: forwarded({ error: 'refused', errorMessage: 'Nothing is listening' }) })), '→ refused');
    assert.equal(appAnswerText(event({})), '');
    assert.equal(
      eventDescription(event({ forward: forwarded({ status: 201 }), signature: { result: 'invalid', scheme: 'github' }, answeredBy: '/hooks/*=503x2' }), '10:00:00', '/hooks/s3'),
      '10:00:00 · /hooks/s3 · 200 · → 201 · 12 ms · signature ✗ · rule /hooks/*=503x2',
    );
  });

  it('flags a wrong confirmation answer with the expected signature, in the description and the tooltip', () => {
    const e = event({ kind: 'vkConfirmation', proxied: true, forward: forwarded({ status: 200, body: { size: 17, text: '{"signature":"00"}', truncated: false } }), appConfirmation: { expected: 'ab12', answered: '00', correct: false } });
    assert.equal(appAnswerText(e), '→ 200 · 12 ms · wrong signature');
    const tooltip = deliveryTooltip(e).join('\n');
    assert.match(tooltip, /Your app answered the provider: \*\*200\*\*/);
    assert.match(tooltip, /answered the confirmation with `00`; the right signature is `ab12`/);
    assert.deepEqual(deliveryContextFlags(e), ['forwarded', 'wrongConfirmation']);
  });

  it('says why the app did not answer, and after how many attempts', () => {
    const tooltip = deliveryTooltip(event({ forward: forwarded({ error: 'refused', errorMessage: 'Nothing is listening at localhost:3000', attempts: 6 }) }));
    assert.deepEqual(tooltip, ['Forwarded to your app: **no answer** after 6 attempts: Nothing is listening at localhost:3000']);
  });

  it('compares an event with the previous one on the same path, else the one before it', () => {
    const events = [event({ id: 'c', path: '/a' }), event({ id: 'b', path: '/b' }), event({ id: 'a', path: '/a' })];
    assert.equal(previousEvent(events, events[0])?.id, 'a');
    assert.equal(previousEvent(events, events[1])?.id, 'a');
    assert.equal(previousEvent(events, events[2]), undefined);
  });
});

describe('Webhook Events filter', () => {
  const events = [
    event({ id: '1', kind: 'vkConfirmation', path: '/hooks/vk', status: 200 }),
    event({ id: '2', kind: 's3Records', path: '/hooks/s3', status: 503, body: { size: 20, text: '{"key":"report.wav"}' } }),
    event({ id: '3', kind: 'klavi', path: '/vendor/klavi', status: 200, forward: forwarded({ status: 500 }) }),
  ];
  const ids = (query: string): string[] => events.filter(eventFilterPredicate(parseEventFilter(query))).map((e) => e.id);

  it('narrows by text, kind, status (the provider\'s or the app\'s) and path', () => {
    assert.deepEqual(ids('report'), ['2']);
    assert.deepEqual(ids('kind:vkConfirmation'), ['1']);
    assert.deepEqual(ids('status:5xx'), ['2', '3']);
    assert.deepEqual(ids('status:503'), ['2']);
    assert.deepEqual(ids('path:/hooks/*'), ['1', '2']);
    assert.deepEqual(ids('path:/hooks/* status:2xx'), ['1']);
    assert.deepEqual(ids(''), ['1', '2', '3']);
  });

  it('reads and writes the syntax, and refuses bad terms', () => {
    assert.equal(formatEventFilter(parseEventFilter('  report   kind:s3records status:5XX path:/a/** ')), 'report kind:s3Records status:5xx path:/a/**');
    assert.throws(() => parseEventFilter('kind:sms'), /kind:sms is not a kind/);
    assert.throws(() => parseEventFilter('status:abc'), /status:abc is not a status/);
    assert.throws(() => parseEventFilter('path:hooks'), /start it with \//);
  });
});
