// What the Webhook Events view says about forwarding, answer rules and signatures.
// Plain functions (no vscode): the provider turns them into tree items; unit-tested in plain Node.
import { appAnswerSummary } from '../core/forward';
import type { WebhookEvent } from '../core/listener/webhookEvent';
import { verdictText } from '../core/webhookSignatures';

/** The app's answer in the item's description: `→ 201 · 12 ms`, `→ refused`, `→ 200 · 3 ms · signature ✗`; '' when not forwarded. */
export function appAnswerText(event: WebhookEvent): string {
  if (!event.forward) {
    return '';
  }
  const check = event.appConfirmation;
  return `→ ${appAnswerSummary(event.forward)}${check ? (check.correct ? ' · signature ✓' : ' · wrong signature') : ''}`;
}

/** The item's description: `time · path · status`, then the app's answer, the signature verdict and the rule. */
export function eventDescription(event: WebhookEvent, time: string, path: string): string {
  const parts = [time, path, String(event.status)];
  const app = appAnswerText(event);
  if (app) {
    parts.push(app);
  }
  if (event.signature) {
    parts.push(verdictText(event.signature));
  }
  if (event.answeredBy) {
    parts.push(`rule ${event.answeredBy}`);
  }
  return parts.join(' · ');
}

const code = (text: string): string => '`' + text.replace(/`/g, "'") + '`';

/** Tooltip paragraphs (markdown) about the app's answer, the confirmation check, the signature and the rule. */
export function deliveryTooltip(event: WebhookEvent): string[] {
  const lines: string[] = [];
  const app = event.forward;
  if (app) {
    const who = event.proxied ? 'Your app answered the provider' : 'Forwarded to your app';
    const attempts = app.attempts > 1 ? ` after ${app.attempts} attempts` : '';
    lines.push(
      app.status !== undefined
        ? `${who}: **${app.status}** in ${Math.round(app.durationMs)} ms${attempts} (${code(app.target)})`
        : `${who}: **no answer**${attempts}: ${app.errorMessage ?? app.error ?? ''}`,
    );
    if (app.body?.text) {
      const body = app.body.text.length > 160 ? `${app.body.text.slice(0, 160)}…` : app.body.text;
      lines.push(`App's answer: ${code(body)}`);
    }
  }
  const check = event.appConfirmation;
  if (check) {
    lines.push(
      check.correct
        ? `$(pass) The app answered the confirmation with the right signature ${code(check.expected)}`
        : `$(error) The app answered the confirmation with ${code(check.answered ?? 'no signature')}; the right signature is ${code(check.expected)}`,
    );
  }
  if (event.signature) {
    const v = event.signature;
    lines.push(`${v.result === 'valid' ? '$(pass)' : '$(error)'} ${verdictText(v)} (${v.scheme})${v.detail ? `: ${v.detail}` : ''}`);
  }
  if (event.answeredBy) {
    lines.push(`Answered ${event.status} by the rule ${code(event.answeredBy)}`);
  }
  return lines;
}

/** Extra contextValue flags: `forwarded` (has the app's answer), `wrongConfirmation`. */
export function deliveryContextFlags(event: WebhookEvent): string[] {
  const flags: string[] = [];
  if (event.forward) {
    flags.push('forwarded');
  }
  if (event.appConfirmation && !event.appConfirmation.correct) {
    flags.push('wrongConfirmation');
  }
  return flags;
}

/**
 * The event to compare with: the one received before it on the same path,
 * else the one received just before it. `events` are newest first.
 */
export function previousEvent(events: readonly WebhookEvent[], event: WebhookEvent): WebhookEvent | undefined {
  const index = events.findIndex((e) => e.id === event.id);
  const older = index === -1 ? [] : events.slice(index + 1);
  return older.find((e) => e.path === event.path) ?? older[0];
}
