import { randomUUID } from 'node:crypto';
import type { S3Connection } from '../s3/connection';
import { extensionForContentType } from './contentTypes';
import { expandKeyTemplate, runIdProblem, runValues } from './keyTemplate';
import { loadPresigner } from './loadPresigner';
import { curlCommand, genericUploadJson, PresignError, type GenericUploadJson, type PresignedPut, type PresignWarning } from './upload';

/** One presigned PUT whose key may be a template. */
export interface SingleUploadOptions {
  bucket: string;
  /** A key, or a key template with {date}, {time}, {timestamp}, {id}, {uuid}, {ext} (and {type}/{name} = upload). */
  key: string;
  /** Signed when given. */
  contentType?: string;
  expiresIn: number;
  signingDate?: Date;
  /** The id for {id}/{uuid}; default a random UUID. */
  id?: string;
}

export interface SingleUploadResult {
  /** The generic form `{ url, method, headers, expiresAt }`. */
  json: GenericUploadJson;
  upload: PresignedPut;
  curl: string;
  warnings: PresignWarning[];
}

/**
 * Expands a key (template) for a single upload. Throws PresignError with a
 * user-level message.
 */
export function singleUploadKey(key: string, contentType: string | undefined, signedAt: Date, id: string): string {
  const idProblem = runIdProblem(id);
  if (idProblem) {
    throw new PresignError(idProblem, 'badInput');
  }
  const ext = extensionForContentType(contentType);
  try {
    return expandKeyTemplate(key, { ...runValues(signedAt, id), type: 'upload', name: 'upload', format: ext, ext });
  } catch (err) {
    throw new PresignError((err as Error).message, 'badInput');
  }
}

/**
 * Presigns one PUT URL (the generic single-URL form) with the curl command that
 * tests it. Throws PresignError.
 */
export async function buildSingleUpload(connection: S3Connection, options: SingleUploadOptions): Promise<SingleUploadResult> {
  const signedAt = options.signingDate ?? new Date();
  if (Number.isNaN(signedAt.getTime())) {
    throw new PresignError('The signing date is not a valid date.', 'badInput');
  }
  const key = singleUploadKey(options.key, options.contentType, signedAt, options.id ?? randomUUID());
  const { upload, warnings } = await loadPresigner().presignPut(connection, {
    bucket: options.bucket,
    key,
    contentType: options.contentType,
    expiresIn: options.expiresIn,
    // The same instant the key's {date} came from, so they always agree.
    signingDate: signedAt,
  });
  return { json: genericUploadJson(upload), upload, curl: curlCommand(upload, key.split('/').pop()), warnings };
}
