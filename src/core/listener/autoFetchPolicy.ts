import type { FileReference } from '../events';

/**
 * What auto-fetch may do on its own. Anyone who can post to the listener (a
 * tunnel makes that anyone on the internet) chooses the URLs in an event, so
 * an event alone must not make S3 Hooks GET an arbitrary host, sign a request
 * with the user's keys for a bucket of the sender's choosing, or fill the disk.
 * A manual Fetch is not limited by this: the user chose what to fetch.
 */
export interface AutoFetchLimits {
  /** Host patterns presigned URLs may point at: `s3.amazonaws.com`, `*.s3.amazonaws.com` (any subdomains), `s3.*.amazonaws.com` (one label). */
  hosts: readonly string[];
  /** Buckets whose objects may be fetched with the user's credentials (S3 records without a URL). */
  buckets: readonly string[];
  /** Largest file, bytes: checked on the size the event states, then (the downloader's maxBytes) on what the server sends. */
  maxFileBytes: number;
  /** Most bytes fetched in any hour. */
  maxBytesPerHour: number;
}

/**
 * The byte limits from settings given in megabytes, in whole bytes: the settings
 * take fractions of a megabyte (0.01 MB is 10485.76 bytes) and messages name bytes.
 */
export function byteLimits(maxFileMegabytes: number, megabytesPerHour: number): Pick<AutoFetchLimits, 'maxFileBytes' | 'maxBytesPerHour'> {
  const bytes = (megabytes: number): number => Math.floor(megabytes * 1024 * 1024);
  return { maxFileBytes: bytes(maxFileMegabytes), maxBytesPerHour: bytes(megabytesPerHour) };
}

/** One host pattern as a regular expression: a leading `*.` is any subdomains, another `*` is part of one label. */
function hostPattern(pattern: string): RegExp {
  const p = pattern.trim().toLowerCase();
  const anySubdomains = p.startsWith('*.');
  const rest = (anySubdomains ? p.slice(2) : p)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9-]*');
  return new RegExp(`^${anySubdomains ? '(?:[a-z0-9-]+\\.)+' : ''}${rest}$`);
}

/** Whether a host (no port) matches one of the patterns. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => p.trim() !== '' && hostPattern(p).test(h));
}

/** The allowlist in force: the setting's patterns plus the configured S3 endpoint's host (a local or other S3 service). */
export function allowedHosts(patterns: readonly string[], endpoint: string | undefined): string[] {
  const hosts = [...patterns];
  if (endpoint) {
    try {
      hosts.push(new URL(endpoint).hostname.replace(/^\[|\]$/g, ''));
    } catch {
      // Not a URL: the endpoint setting reports that itself.
    }
  }
  return hosts;
}

/**
 * Why auto-fetch must leave this file alone, or undefined when it may fetch
 * it. `usedThisHour` is what {@link AutoFetchBudget} counted.
 */
export function autoFetchRefusal(ref: FileReference, limits: AutoFetchLimits, usedThisHour: number): string | undefined {
  if (ref.url !== undefined) {
    let url: URL;
    try {
      url = new URL(ref.url);
    } catch {
      return 'its URL is not a URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return `its URL is ${url.protocol}, not http(s)`;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!hostAllowed(host, limits.hosts)) {
      return `${host} is not on the auto-fetch host list (s3Hooks.listener.autoFetchHosts)`;
    }
  } else if (ref.bucket !== undefined) {
    if (!limits.buckets.includes(ref.bucket)) {
      return `bucket ${ref.bucket} is not on the auto-fetch bucket list (s3Hooks.listener.autoFetchBuckets), so your credentials are not used for it`;
    }
  } else {
    return 'it names neither a URL nor a bucket';
  }
  if (ref.size !== undefined && ref.size > limits.maxFileBytes) {
    return `it is ${ref.size} bytes, over the auto-fetch limit of ${limits.maxFileBytes} per file`;
  }
  if (usedThisHour + (ref.size ?? 0) > limits.maxBytesPerHour) {
    return `auto-fetch has fetched ${usedThisHour} bytes in the last hour, the limit is ${limits.maxBytesPerHour}`;
  }
  return undefined;
}

/** Bytes auto-fetched in the last hour (a sliding window). */
export class AutoFetchBudget {
  private entries: { at: number; bytes: number }[] = [];

  record(bytes: number, now = Date.now()): void {
    this.entries.push({ at: now, bytes });
  }

  used(now = Date.now()): number {
    this.entries = this.entries.filter((e) => now - e.at < 3_600_000);
    return this.entries.reduce((sum, e) => sum + e.bytes, 0);
  }
}
