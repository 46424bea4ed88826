import { parseExpiry } from './expiry';
import type { SingleUploadOptions } from './singleUpload';
import { PresignError } from './upload';
import type { VoiceBaseCallbackOptions } from './voicebase';

// One normalisation of "what to sign" for both front ends: the VS Code commands' argument objects and
// the CLI's options go through the same rules, so a value one accepts the other does not refuse.

/** The argument form of `S3 Hooks: Create Presigned PUT URL` (no UI). Missing fields come from settings. */
export interface CreatePresignedPutArgs {
  bucket?: string;
  /** A key, or a key template ({date}, {time}, {timestamp}, {id}, {uuid}, {ext}). Default: the key template setting. */
  key?: string;
  /** Content-Type to sign; omitted, null or '' signs none. */
  contentType?: string | null;
  /** Seconds, or a duration like "36h". Default: the expiry setting. */
  expiresIn?: number | string;
  /** ISO 8601 instant to sign at (reproducible output). */
  signingDate?: string;
  /** The value of {id}/{uuid}. */
  id?: string;
}

/** The argument form of `S3 Hooks: Create Callback JSON…` (no UI). */
export interface CreateCallbackJsonArgs extends CreatePresignedPutArgs {
  /** `voicebase` (default) or `generic` (the single-URL form, as Create Presigned PUT URL). */
  vendor?: 'voicebase' | 'generic';
  keyTemplate?: string;
  /** An analytics callback; `true` for the default sections. */
  analytics?: boolean | { include?: string[] };
  /** One transcript callback per format. */
  transcript?: string[];
  /** One media callback per stream. */
  media?: string[];
  role?: string;
}

/** What fills the gaps of an argument object: the settings in VS Code, the CLI's defaults. */
export interface PresignDefaults {
  bucket: string;
  keyTemplate: string;
  expiresIn: number;
}

/**
 * An expiry as given (seconds, or "90m", "36h", "7d"); `fallback` when absent.
 * Throws PresignError (badInput) naming the problem.
 */
export function expiryArgument(value: number | string | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  try {
    return parseExpiry(String(value));
  } catch (err) {
    throw new PresignError((err as Error).message, 'badInput');
  }
}

/**
 * A signing instant as an ISO 8601 date-time (`2026-01-01T00:00:00Z`); undefined when absent.
 * A bare date or "yesterday" is refused: `new Date` would read them in a local time zone or not at all.
 * Throws PresignError (badInput).
 */
export function signingDateArgument(value: string | undefined): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new PresignError(`"${value}" is not an ISO 8601 instant (for example 2026-01-01T00:00:00Z).`, 'badInput');
  }
  return date;
}

/** The single-URL options an argument object asks for. Throws PresignError (badInput). */
export function singleUploadFromArgs(args: CreatePresignedPutArgs, defaults: PresignDefaults): SingleUploadOptions {
  return {
    bucket: args.bucket ?? defaults.bucket,
    key: args.key ?? defaults.keyTemplate,
    contentType: args.contentType || undefined,
    expiresIn: expiryArgument(args.expiresIn, defaults.expiresIn),
    signingDate: signingDateArgument(args.signingDate),
    id: args.id,
  };
}

/** The VoiceBase callback options an argument object asks for. Throws PresignError (badInput). */
export function voiceBaseFromArgs(args: CreateCallbackJsonArgs, defaults: PresignDefaults): VoiceBaseCallbackOptions {
  return {
    bucket: args.bucket ?? defaults.bucket,
    keyTemplate: args.keyTemplate ?? args.key ?? defaults.keyTemplate,
    analytics: args.analytics ? { include: typeof args.analytics === 'object' ? args.analytics.include : undefined } : undefined,
    transcriptFormats: args.transcript,
    mediaStreams: args.media,
    role: args.role || undefined,
    expiresIn: expiryArgument(args.expiresIn, defaults.expiresIn),
    signingDate: signingDateArgument(args.signingDate),
    id: args.id,
  };
}
