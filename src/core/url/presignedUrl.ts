import { redactUrl } from '../redact';

/** What can be read off a presigned S3 URL alone, without any request. */
export interface PresignedUrlInfo {
  /** The URL as given. Never log or display it: use {@link PresignedUrlInfo.redacted}. */
  url: string;
  /** `v4` (`X-Amz-Signature`) or `v2` (`Signature` + `Expires`). */
  signatureVersion: 'v4' | 'v2';
  /** The URL with signature, credential and security token hidden. */
  redacted: string;
  /** Bucket, when the host or path names one (AWS virtual-hosted or path style, or a custom path-style endpoint). */
  bucket?: string;
  /** Object key, percent-decoded. */
  key?: string;
  /** Region: from the SigV4 credential scope, else from an AWS host name. */
  region?: string;
  /** `path` (`host/bucket/key`), `virtual` (`bucket.host/key`) or `unknown` (a custom host with no bucket in it). */
  addressing: 'path' | 'virtual' | 'unknown';
  /** Headers the uploader or downloader must send exactly as signed (SigV4 `X-Amz-SignedHeaders`; `host` for SigV2). */
  signedHeaders: string[];
  /** SigV4 signing instant (`X-Amz-Date`). */
  signedAt?: Date;
  /** SigV4 lifetime in seconds (`X-Amz-Expires`). */
  expiresInSeconds?: number;
  /** The instant the URL stops working, as far as the URL itself says. */
  expiresAt?: Date;
  /** Signed with temporary credentials (a session token): it may die earlier, when they expire. */
  hasSecurityToken: boolean;
  /**
   * Why the expiry cannot be read from the URL: an `X-Amz-Date` that is no real
   * instant, an `X-Amz-Expires`/`Expires` that is not whole seconds or puts the
   * expiry past any date. `expiresAt` is then unset: the URL is invalid, not eternal.
   */
  expiryProblem?: string;
}

/** Case-insensitive query lookup: the seed's Klavi text spells parameters in lower case. */
function queryParam(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of url.searchParams) {
    if (k.toLowerCase() === wanted) {
      return v;
    }
  }
  return undefined;
}

function parseHttpUrl(text: string): URL | undefined {
  if (!/^https?:\/\//i.test(text)) {
    return undefined;
  }
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * True when the text is an http(s) URL that carries a presigned S3 signature:
 * SigV4 (`X-Amz-Signature`) or SigV2 (`Signature` together with `Expires`).
 * Parameter names are matched case-insensitively.
 */
export function isPresignedUrl(text: string): boolean {
  const url = parseHttpUrl(text.trim());
  if (!url) {
    return false;
  }
  return signatureVersionOf(url) !== undefined;
}

function signatureVersionOf(url: URL): 'v4' | 'v2' | undefined {
  if (queryParam(url, 'X-Amz-Signature') !== undefined) {
    return 'v4';
  }
  if (queryParam(url, 'Signature') !== undefined && queryParam(url, 'Expires') !== undefined) {
    return 'v2';
  }
  return undefined;
}

/** `YYYYMMDDTHHMMSSZ` (case-insensitive) → Date; undefined unless every part is in range (no 13th month, no 25th hour). */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/i.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls over (month 13 is next January): a date that changed is not the one written.
  const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi;
  return same && date.getUTCSeconds() === s ? date : undefined;
}

/** Whole seconds as sent (`3600`), else undefined (`1e300`, `-5`, `3.5`, empty). */
function wholeSeconds(text: string | undefined): number | undefined {
  return text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

/** The instant `seconds` after `from` (ms), or undefined past what a Date holds. */
function secondsAfter(from: number, seconds: number): Date | undefined {
  const date = new Date(from + seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function decodeKey(pathPart: string): string {
  try {
    return decodeURIComponent(pathPart);
  } catch {
    return pathPart;
  }
}

interface Location {
  bucket?: string;
  key?: string;
  region?: string;
  addressing: PresignedUrlInfo['addressing'];
}

/**
 * Bucket, key and region from the host and path. AWS host names are parsed
 * exactly (`bucket.s3.region.amazonaws.com`, `bucket.s3-region.amazonaws.com`,
 * `bucket.s3.amazonaws.com`, `s3.region.amazonaws.com/bucket`); any other host
 * is treated as a path-style endpoint (the form S3-compatible services and
 * local servers use) when the path has a bucket segment and a key.
 */
export function locateS3Object(url: URL): Location {
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/^\//, '');
  const aws = /^(?:(.+)\.)?s3(?:[.-]([a-z0-9-]+))?(?:\.dualstack\.[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (aws) {
    const [, bucketPart, regionPart] = aws;
    const region = regionPart && regionPart !== 'external-1' && regionPart !== 'dualstack' ? regionPart : undefined;
    if (bucketPart) {
      return { bucket: bucketPart, key: path ? decodeKey(path) : undefined, region, addressing: 'virtual' };
    }
    const slash = path.indexOf('/');
    if (slash > 0) {
      return { bucket: decodeKey(path.slice(0, slash)), key: decodeKey(path.slice(slash + 1)) || undefined, region, addressing: 'path' };
    }
    return { bucket: path ? decodeKey(path) : undefined, region, addressing: 'path' };
  }
  const slash = path.indexOf('/');
  if (slash > 0 && slash < path.length - 1) {
    return { bucket: decodeKey(path.slice(0, slash)), key: decodeKey(path.slice(slash + 1)), addressing: 'path' };
  }
  return { key: path ? decodeKey(path) : undefined, addressing: 'unknown' };
}

/**
 * Decodes a presigned S3 URL: signature version, bucket, key, region, signed
 * headers and the instant it expires (SigV4 `X-Amz-Date` + `X-Amz-Expires`;
 * SigV2 `Expires`, Unix seconds). Returns undefined when the text is not a
 * presigned http(s) URL. An expiry that cannot be real is reported in
 * `expiryProblem`. Never throws.
 */
export function inspectPresignedUrl(text: string): PresignedUrlInfo | undefined {
  const trimmed = text.trim();
  const url = parseHttpUrl(trimmed);
  if (!url) {
    return undefined;
  }
  const signatureVersion = signatureVersionOf(url);
  if (!signatureVersion) {
    return undefined;
  }
  const location = locateS3Object(url);
  const info: PresignedUrlInfo = {
    url: trimmed,
    signatureVersion,
    redacted: redactUrl(trimmed),
    ...location,
    signedHeaders: ['host'],
    hasSecurityToken: queryParam(url, 'X-Amz-Security-Token') !== undefined || queryParam(url, 'x-amz-security-token') !== undefined,
  };
  if (signatureVersion === 'v4') {
    const credential = queryParam(url, 'X-Amz-Credential');
    // AKID/20210621/us-west-2/s3/aws4_request
    const scopeRegion = credential?.split('/')[2];
    if (scopeRegion) {
      info.region = scopeRegion;
    }
    const signedHeaders = queryParam(url, 'X-Amz-SignedHeaders');
    if (signedHeaders) {
      info.signedHeaders = signedHeaders.split(';').filter(Boolean);
    }
    const date = queryParam(url, 'X-Amz-Date');
    info.signedAt = date ? parseAmzDate(date) : undefined;
    const expiresText = queryParam(url, 'X-Amz-Expires');
    const expires = wholeSeconds(expiresText);
    if (date !== undefined && !info.signedAt) {
      info.expiryProblem = `X-Amz-Date=${date.slice(0, 40)} is not a real instant (YYYYMMDDTHHMMSSZ)`;
    } else if (expiresText !== undefined && expires === undefined) {
      info.expiryProblem = `X-Amz-Expires=${expiresText.slice(0, 40)} is not a whole number of seconds`;
    } else if (expires !== undefined) {
      info.expiresInSeconds = expires;
      if (info.signedAt) {
        info.expiresAt = secondsAfter(info.signedAt.getTime(), expires);
        if (!info.expiresAt) {
          info.expiryProblem = `X-Amz-Expires=${expires} puts the expiry past any date`;
        }
      }
    }
  } else {
    const expiresText = queryParam(url, 'Expires') ?? '';
    const expires = wholeSeconds(expiresText);
    info.expiresAt = expires !== undefined && expires > 0 ? secondsAfter(0, expires) : undefined;
    if (!info.expiresAt) {
      info.expiryProblem = `Expires=${expiresText.slice(0, 40)} is not an instant (whole seconds since 1970)`;
    }
  }
  return info;
}

/** The earlier of two expiry instants; either may be unknown. */
export function earliestExpiry(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return a.getTime() <= b.getTime() ? a : b;
}

// One duration formatter for the whole product (core/format/duration.ts); re-exported where callers found it.
export { describeExpiry, formatDuration } from '../format/duration';
