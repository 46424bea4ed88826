import { formatBytes } from '../format/units';
import { describeExpiry } from '../format/duration';
import { formatInstant } from '../presign/expiry';
import { summarizeDeliveries, type DeliveryResult, type DeliveryState } from './deliveries';

/**
 * What the Callback Deliveries view shows for a result or a tracked document:
 * plain text and ids (the VS Code layer maps icon names to ThemeIcons), so it
 * is unit-tested without VS Code.
 */
export interface ItemText {
  label: string;
  description: string;
  tooltip: string;
  /** `delivery.<state>` (+ ` contentTypeMismatch`); menus match on it. */
  contextValue: string;
  /** A codicon id. */
  icon: string;
}

const icons: Record<DeliveryState, string> = { pending: 'watch', delivered: 'pass', expired: 'circle-slash', error: 'error' };

/** A result under its document: "transcript (srt)" · "delivered · 1.2 KB text/srt". */
export function deliveryItemText(result: DeliveryResult, now: Date = new Date()): ItemText {
  const where = `s3://${result.bucket}/${result.key}`;
  let description: string;
  switch (result.state) {
    case 'delivered':
      description = ['delivered', result.size !== undefined ? formatBytes(result.size) : undefined, result.storedContentType].filter(Boolean).join(' · ');
      if (result.contentTypeMatches === false) {
        description += ` (signed ${result.contentType})`;
      }
      break;
    case 'pending':
      description = `pending · ${result.expiresAt ? describeExpiry(new Date(result.expiresAt), now.getTime()) : 'no expiry in the URL'}`;
      break;
    case 'expired':
      description = 'expired, not delivered';
      break;
    default:
      description = `could not check: ${result.note ?? 'unknown error'}`;
  }
  const lines = [
    `${result.label}: ${description}`,
    where,
    result.lastModified ? `Stored ${formatInstant(new Date(result.lastModified))}` : undefined,
    result.contentType ? `Signed Content-Type ${result.contentType}` : undefined,
    result.note && result.state !== 'error' ? result.note : undefined,
    `Checked ${formatInstant(new Date(result.checkedAt))}`,
  ];
  return {
    label: result.label,
    description,
    tooltip: lines.filter(Boolean).join('\n'),
    contextValue: `delivery.${result.state}${result.contentTypeMatches === false ? ' contentTypeMismatch' : ''}`,
    icon: result.contentTypeMatches === false ? 'warning' : icons[result.state],
  };
}

/** A tracked document: its name, and "2 of 3 delivered, 1 pending". */
export function trackedDocumentText(name: string, results: readonly DeliveryResult[], watching: boolean): ItemText {
  const summary = results.length > 0 ? summarizeDeliveries(results) : 'not checked yet';
  return {
    label: name,
    description: `${summary}${watching ? ' · watching' : ''}`,
    tooltip: `${name}\n${summary}${watching ? '\nChecking again with backoff until every URL is delivered or expired.' : ''}`,
    contextValue: `trackedCallbackDocument${watching ? ' watching' : ''}`,
    icon: watching ? 'sync~spin' : results.length > 0 && results.every((r) => r.state === 'delivered') ? 'pass-filled' : 'json',
  };
}
