import { pathGlob, type PathGlob } from '../pathGlob';
import { webhookEventKinds, type WebhookEvent, type WebhookEventKind } from './webhookEvent';

/** What the Webhook Events view shows: events with the text, of the kind, answered with the status, on the path. */
export interface EventFilter {
  /** Words found (case-insensitively) in the label, path, query, method or body text. */
  text?: string;
  kind?: WebhookEventKind;
  /** `503`, or a class: `5xx`. Matches the status the provider got, or the app's answer when forwarded. */
  status?: string;
  /** A path pattern: `/hooks/*`, `/hooks/**`. */
  path?: string;
}

/** The filter syntax, for the input box. */
export const eventFilterSyntax = 'words to find, kind:s3Records, status:5xx (or 503), path:/hooks/*';

/**
 * Reads a filter as typed: `kind:…`, `status:…` and `path:…` terms, anything
 * else is text. Throws with a message that names the bad term.
 */
export function parseEventFilter(query: string): EventFilter {
  const filter: EventFilter = {};
  const words: string[] = [];
  for (const term of query.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(kind|status|path):(.*)$/i.exec(term);
    if (!m) {
      words.push(term);
      continue;
    }
    const value = m[2];
    switch (m[1].toLowerCase()) {
      case 'kind': {
        const kind = webhookEventKinds.find((k) => k.toLowerCase() === value.toLowerCase());
        if (!kind) {
          throw new Error(`kind:${value} is not a kind; use one of ${webhookEventKinds.join(', ')}.`);
        }
        filter.kind = kind;
        break;
      }
      case 'status':
        if (!/^[1-5](\d\d|xx)$/i.test(value)) {
          throw new Error(`status:${value} is not a status; use a number (503) or a class (5xx).`);
        }
        filter.status = value.toLowerCase();
        break;
      default:
        pathGlob(value);
        filter.path = value;
    }
  }
  if (words.length > 0) {
    filter.text = words.join(' ');
  }
  return filter;
}

/** The filter as typed (for the view's description and the input box). */
export function formatEventFilter(filter: EventFilter): string {
  return [filter.text ?? '', filter.kind ? `kind:${filter.kind}` : '', filter.status ? `status:${filter.status}` : '', filter.path ? `path:${filter.path}` : '']
    .filter(Boolean)
    .join(' ');
}

export function isEmptyFilter(filter: EventFilter | undefined): boolean {
  return !filter || (!filter.text && !filter.kind && !filter.status && !filter.path);
}

/** A predicate for the filter (the path pattern compiled once). */
export function eventFilterPredicate(filter: EventFilter): (event: WebhookEvent) => boolean {
  const glob: PathGlob | undefined = filter.path ? pathGlob(filter.path) : undefined;
  const text = filter.text?.toLowerCase();
  const status = filter.status;
  const statusMatches = (value: number | undefined): boolean =>
    value !== undefined && (status!.endsWith('xx') ? String(value).charAt(0) === status!.charAt(0) : String(value) === status);
  return (event) => {
    if (filter.kind && event.kind !== filter.kind) {
      return false;
    }
    if (glob && !glob.matches(event.path)) {
      return false;
    }
    if (status && !statusMatches(event.status) && !statusMatches(event.forward?.status)) {
      return false;
    }
    if (text) {
      const haystack = `${event.label}\n${event.method} ${event.path}?${event.query}\n${event.body.text ?? ''}`.toLowerCase();
      return text.split(' ').every((word) => haystack.includes(word));
    }
    return true;
  };
}
