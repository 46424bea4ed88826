import type { WebhookEvent, WebhookEventKind } from '../core/listener/webhookEvent';
import type { IconView } from '../core/present/markdownParts';
import { redactUrl } from '../core/redact';
import { deliveryContextFlags, deliveryTooltip, eventDescription } from './deliveryPresentation';

// What a Webhook Events row shows, decided without the vscode API (plain unit tests);
// webhookEventsProvider.ts only maps it to a TreeItem.

const kindIcons: Record<WebhookEventKind, string> = {
  vkConfirmation: 'key',
  snsSubscriptionConfirmation: 'verified',
  snsNotification: 'bell',
  snsUnsubscribeConfirmation: 'bell-slash',
  s3Records: 'database',
  klavi: 'symbol-event',
  unknown: 'question',
  malformed: 'warning',
  file: 'file-binary',
  tooLarge: 'circle-slash',
};

/** The kinds in the user's words. */
export const kindWords: Record<WebhookEventKind, string> = {
  vkConfirmation: 'Bucket webhook confirmation (VK Cloud / LinxCloud / Hotbox)',
  snsSubscriptionConfirmation: 'AWS SNS subscription confirmation',
  snsNotification: 'AWS SNS notification',
  snsUnsubscribeConfirmation: 'AWS SNS unsubscribe confirmation',
  s3Records: 'S3 bucket notification',
  klavi: 'Klavi-style event',
  unknown: 'Unrecognised request',
  malformed: 'Malformed JSON',
  file: 'Received file',
  tooLarge: 'Body over the size limit',
};

/** The path and query with presigned-URL signatures hidden. */
export function displayPath(event: WebhookEvent): string {
  if (!event.query) {
    return event.path;
  }
  const redacted = redactUrl(`http://listener${event.path}?${event.query}`);
  return redacted.slice('http://listener'.length);
}

/** The kind's icon; red when the answer was an error or the SNS signature did not verify, grey for a redelivery. */
export function iconFor(event: WebhookEvent): IconView {
  const failed =
    event.status >= 400 ||
    (event.sns !== undefined && !event.sns.verified) ||
    (event.forward !== undefined && (event.forward.status === undefined || event.forward.status >= 400)) ||
    event.appConfirmation?.correct === false;
  const color = failed ? 'errorForeground' : event.duplicateOf ? 'disabledForeground' : undefined;
  return { id: kindIcons[event.kind] ?? 'question', color };
}

/** Flags menus match on (`viewItem =~ /\bhasFileReference\b/`). */
export function contextValueFor(event: WebhookEvent): string {
  const flags = ['webhookEvent', `kind-${event.kind}`];
  if ((event.fileReferences ?? 0) > 0) {
    flags.push('hasFileReference');
  }
  if (event.kind === 'snsSubscriptionConfirmation' && event.sns?.verified && !event.sns.subscription?.confirmedAt) {
    flags.push('snsConfirmable');
  }
  if (event.body.file) {
    flags.push('receivedFile');
  }
  if (!event.body.dropped) {
    flags.push('replayable');
  }
  flags.push(...deliveryContextFlags(event));
  return flags.join(' ');
}

/** The tooltip (markdown; outside text is quoted as code or stripped of markdown characters). */
export function tooltipMarkdown(event: WebhookEvent): string {
  const code = (text: string): string => '`' + text.replace(/`/g, "'") + '`';
  let md = `**${kindWords[event.kind]}**: ${event.label.replace(/[*_`[\]]/g, '')}\n\n`;
  md += `${code(`${event.method} ${displayPath(event)}`)}\n\n`;
  md += `Received ${new Date(event.receivedAt).toLocaleString()} · answered **${event.status}**`;
  if (event.answer) {
    md += ` ${code(event.answer.length > 120 ? `${event.answer.slice(0, 120)}…` : event.answer)}`;
  }
  md += '\n\n';
  if (event.signedUrl) {
    md += `Signature computed over ${code(redactUrl(event.signedUrl))}\n\n`;
  }
  if (event.sns) {
    md += event.sns.verified ? 'SNS signature verified\n\n' : `SNS signature **not** verified: ${event.sns.reason ?? ''}\n\n`;
    const sub = event.sns.subscription;
    if (sub?.confirmedAt) {
      md += `Subscription confirmed ${new Date(sub.confirmedAt).toLocaleString()}\n\n`;
    } else if (sub?.error) {
      md += `Subscription not confirmed: ${sub.error}\n\n`;
    }
  }
  if (event.body.file) {
    md += `Body saved to ${code(event.body.file)} (${event.body.size} bytes)\n\n`;
  } else {
    md += `Body: ${event.body.size} bytes${event.body.dropped ? ' (not kept)' : ''}\n\n`;
  }
  if (event.fileReferences) {
    md += `Points at ${event.fileReferences} file${event.fileReferences === 1 ? '' : 's'}: use **Fetch File**\n\n`;
  }
  if (event.duplicateOf) {
    md += `Redelivery: the same event as ${code(event.duplicateOf)} (kept anyway)\n\n`;
  }
  if (event.error) {
    md += `$(error) ${event.error}\n\n`;
  }
  for (const warning of event.warnings ?? []) {
    md += `$(warning) ${warning}\n\n`;
  }
  for (const line of deliveryTooltip(event)) {
    md += `${line}\n\n`;
  }
  return md;
}

/** Everything a Webhook Events row shows. */
export interface EventItemView {
  label: string;
  description: string;
  tooltipMarkdown: string;
  contextValue: string;
  icon: IconView;
  accessibilityLabel: string;
}

/** A row: label (marked when a redelivery), time · path · status, icon per kind. */
export function eventItemView(event: WebhookEvent): EventItemView {
  return {
    label: event.duplicateOf ? `${event.label} (duplicate)` : event.label,
    description: eventDescription(event, new Date(event.receivedAt).toLocaleTimeString(), displayPath(event)),
    tooltipMarkdown: tooltipMarkdown(event),
    contextValue: contextValueFor(event),
    icon: iconFor(event),
    accessibilityLabel: `${kindWords[event.kind]}, ${event.label}, ${event.method} ${displayPath(event)}, answered ${event.status}`,
  };
}
