import { randomUUID } from 'node:crypto';
import type { S3Connection } from '../s3/connection';
import {
  analyticsSections,
  defaultAnalyticsSections,
  deliveryFormatFor,
  listWords,
  mediaStreams,
  transcriptFormats,
  type AnalyticsSection,
  type CallbackType,
  type DeliveryFormat,
  type MediaStream,
  type TranscriptFormat,
} from './contentTypes';
import { describeDuration, formatInstant, vendorRetryWindowSeconds } from './expiry';
import { expandKeyTemplate, runIdProblem, runValues } from './keyTemplate';
import { loadPresigner } from './loadPresigner';
import { curlCommand, PresignError, type PresignedPut, type PresignWarning } from './upload';

/** What the user wants delivered, and where. */
export interface VoiceBaseCallbackOptions {
  bucket: string;
  /** Key template with placeholders (see keyTemplatePlaceholders). */
  keyTemplate: string;
  /** An analytics callback (JSON results) with these sections; default: the vendor example's sections. */
  analytics?: { include?: string[] };
  /** One transcript callback per format. */
  transcriptFormats?: string[];
  /** One media callback per stream. */
  mediaStreams?: string[];
  /** Optional IAM role ARN the vendor assumes; added to every callback. */
  role?: string;
  /** Lifetime of every URL in seconds, 1 … 604800. */
  expiresIn: number;
  /** Sign as of this instant (reproducible output); default now. */
  signingDate?: Date;
  /** The run id for {id}/{uuid}; default a random UUID. */
  id?: string;
}

/**
 * One entry of VoiceBase v3 `publish.callbacks`, with only the fields the
 * vendor accepts, in the order its documentation shows them.
 */
export interface VoiceBaseCallback {
  url: string;
  method: 'PUT';
  type: CallbackType;
  include?: AnalyticsSection[];
  format?: TranscriptFormat;
  stream?: MediaStream;
  role?: string;
}

/** The job configuration fragment the vendor takes. */
export interface VoiceBasePublish {
  publish: { callbacks: VoiceBaseCallback[] };
}

/** One planned callback: what, with which Content-Type, to which key. */
export interface PlannedCallback {
  format: DeliveryFormat;
  key: string;
  /** "transcript (srt)": for messages. */
  label: string;
}

/** A signed callback with what a user needs to test it. */
export interface SignedCallback extends PlannedCallback {
  callback: VoiceBaseCallback;
  upload: PresignedPut;
  /** curl command that uploads a sample file to it exactly as the vendor will. */
  curl: string;
}

export interface VoiceBaseCallbacksResult {
  /** Exactly what goes into the vendor's job configuration. */
  json: VoiceBasePublish;
  callbacks: SignedCallback[];
  warnings: PresignWarning[];
  /** The run id used for {id}/{uuid}. */
  id: string;
  signedAt: Date;
  expiresAt: Date;
}

const rolePattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function fail(message: string): never {
  throw new PresignError(message, 'badInput');
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function nameFor(format: DeliveryFormat): string {
  return format.type === 'media' ? `media-${format.variant}` : format.type;
}

/**
 * Validates the options and works out each callback's delivery format and key,
 * without signing anything (the pickers use it to preview keys). Throws
 * PresignError with a user-level message.
 */
export function planVoiceBaseCallbacks(options: VoiceBaseCallbackOptions, signedAt: Date, id: string): PlannedCallback[] {
  const idProblem = runIdProblem(id);
  if (idProblem) {
    fail(idProblem);
  }
  if (options.role !== undefined && !rolePattern.test(options.role)) {
    fail(`"${options.role}" is not an IAM role ARN (arn:aws:iam::123456789012:role/name).`);
  }
  const formats: DeliveryFormat[] = [];
  const tryFormat = (type: CallbackType, variant?: string) => {
    try {
      formats.push(deliveryFormatFor(type, variant));
    } catch (err) {
      fail((err as Error).message);
    }
  };
  if (options.analytics) {
    for (const section of options.analytics.include ?? []) {
      if (!(analyticsSections as readonly string[]).includes(section)) {
        fail(`Unknown analytics section "${section}": use ${listWords(analyticsSections)}.`);
      }
    }
    if (options.analytics.include && options.analytics.include.length === 0) {
      fail(`Choose at least one analytics section: ${listWords(analyticsSections)}.`);
    }
    tryFormat('analytics');
  }
  for (const format of unique(options.transcriptFormats ?? [])) {
    tryFormat('transcript', format);
  }
  for (const stream of unique(options.mediaStreams ?? [])) {
    tryFormat('media', stream);
  }
  if (formats.length === 0) {
    fail(`Choose at least one callback: analytics, a transcript format (${listWords(transcriptFormats)}) or a media stream (${listWords(mediaStreams)}).`);
  }
  const run = runValues(signedAt, id);
  const planned = formats.map((format) => {
    let key: string;
    try {
      key = expandKeyTemplate(options.keyTemplate, {
        ...run,
        type: format.type,
        format: format.variant ?? 'json',
        name: nameFor(format),
        ext: format.extension,
      });
    } catch (err) {
      fail((err as Error).message);
    }
    return { format, key, label: format.variant ? `${format.type} (${format.variant})` : format.type };
  });
  for (let i = 0; i < planned.length; i++) {
    const twin = planned.findIndex((p, j) => j > i && p.key === planned[i].key);
    if (twin >= 0) {
      fail(
        `The ${planned[i].label} and ${planned[twin].label} callbacks would both upload to "${planned[i].key}": ` +
          'put {name} (or {type}, {format} and {ext}) into the key template.',
      );
    }
  }
  return planned;
}

/**
 * Builds VoiceBase v3 `publish.callbacks`: one callback per requested result,
 * each `"method": "PUT"` with its own presigned URL that signs the Content-Type
 * the vendor sends for it, under a key from the template. Warns when the URLs
 * die before the vendor's ~16-hour retry window ends, or before temporary
 * credentials would. Throws PresignError.
 */
export async function buildVoiceBaseCallbacks(connection: S3Connection, options: VoiceBaseCallbackOptions): Promise<VoiceBaseCallbacksResult> {
  const signingInstant = options.signingDate ?? new Date();
  if (Number.isNaN(signingInstant.getTime())) {
    fail('The signing date is not a valid date.');
  }
  const id = options.id ?? randomUUID();
  const planned = planVoiceBaseCallbacks(options, signingInstant, id);
  const { presignPuts } = loadPresigner();
  const { uploads, warnings } = await presignPuts(
    connection,
    planned.map((p) => ({
      bucket: options.bucket,
      key: p.key,
      contentType: p.format.contentType,
      expiresIn: options.expiresIn,
      // The same instant the keys' {date} came from, so they always agree.
      signingDate: signingInstant,
    })),
  );
  const include = (options.analytics?.include ?? defaultAnalyticsSections) as AnalyticsSection[];
  const callbacks = planned.map((p, i): SignedCallback => {
    const upload = uploads[i];
    const callback: VoiceBaseCallback = { url: upload.url, method: 'PUT', type: p.format.type };
    if (p.format.type === 'analytics') {
      callback.include = unique(include);
    } else if (p.format.type === 'transcript') {
      callback.format = p.format.variant as TranscriptFormat;
    } else {
      callback.stream = p.format.variant as MediaStream;
    }
    if (options.role !== undefined) {
      callback.role = options.role;
    }
    return { ...p, callback, upload, curl: curlCommand(upload, p.key.split('/').pop()) };
  });
  const expiresAt = uploads[0].expiresAt;
  if (options.expiresIn < vendorRetryWindowSeconds) {
    warnings.push({
      code: 'shortForVendor',
      message:
        `The URLs expire after ${describeDuration(options.expiresIn)}, at ${formatInstant(expiresAt)}: shorter than VoiceBase's retry window ` +
        '(7 retries over about 16 hours), so a delivery that fails at first may be lost. Allow the job\'s run time plus 16 hours; 24 hours is usual.',
    });
  }
  return {
    json: { publish: { callbacks: callbacks.map((c) => c.callback) } },
    callbacks,
    warnings,
    id,
    signedAt: uploads[0].signedAt,
    expiresAt,
  };
}
