import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3Client, type S3Connection } from '../s3/connection';
import { checkConnection } from '../s3/endpoint';
import { bucketNameProblem, objectKeyProblem } from '../s3/names';
import { contentTypeProblem } from './contentTypes';
import { expiryProblem } from './expiry';
import { resolveSigningCredentials } from './presignPut';
import { credentialWarnings, PresignError, shellQuote, type PresignWarning } from './upload';

// Loads the AWS SDK: reached only through loadObjectPresigner() when a GET or POST is signed.

export interface PresignGetRequest {
  bucket: string;
  key: string;
  /** Lifetime in seconds, 1 … 604800. */
  expiresIn: number;
  /** `attachment; filename="x.srt"`: S3 answers with this Content-Disposition (the browser saves instead of showing). */
  contentDisposition?: string;
  signingDate?: Date;
}

export interface PresignedGet {
  /** A bearer credential while it lives: log it only through redactUrl. */
  url: string;
  signedAt: Date;
  expiresAt: Date;
  warnings: PresignWarning[];
}

export interface PresignPostRequest {
  bucket: string;
  key: string;
  /** When given, the form must send exactly this Content-Type. */
  contentType?: string;
  /** The largest upload S3 accepts, in bytes (`content-length-range` 0 … maxSize). */
  maxSize?: number;
  expiresIn: number;
}

/** Exactly what the SDK's createPresignedPost returns: the form's action URL and its fields. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expiresAt: Date;
  warnings: PresignWarning[];
}

function validate(request: { bucket: string; key: string; expiresIn: number; contentType?: string }): void {
  const problem =
    bucketNameProblem(request.bucket) ??
    objectKeyProblem(request.key) ??
    expiryProblem(request.expiresIn) ??
    (request.contentType !== undefined ? contentTypeProblem(request.contentType) : undefined);
  if (problem) {
    throw new PresignError(problem, 'badInput');
  }
}

function connectionWarnings(connection: S3Connection, bucket: string): PresignWarning[] {
  const check = checkConnection(connection, bucket);
  if (check.errors.length > 0) {
    throw new PresignError(check.errors[0], 'badInput');
  }
  return check.warnings.map((message) => ({ code: 'connection', message }));
}

/** A presigned GET for an object (to share a result, or build a test event around a real file). Throws PresignError. */
export async function presignGet(connection: S3Connection, request: PresignGetRequest): Promise<PresignedGet> {
  validate(request);
  if (request.contentDisposition !== undefined && /[\r\n]/.test(request.contentDisposition)) {
    throw new PresignError('A Content-Disposition cannot contain a line break.', 'badInput');
  }
  const warnings = connectionWarnings(connection, request.bucket);
  const credentials = await resolveSigningCredentials(connection);
  const client = createS3Client({ ...connection, credentials });
  try {
    const signedAt = request.signingDate ?? new Date();
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: request.bucket, Key: request.key, ResponseContentDisposition: request.contentDisposition }),
      { expiresIn: request.expiresIn, signingDate: signedAt },
    );
    const whole = new Date(Math.floor(signedAt.getTime() / 1000) * 1000);
    const expiresAt = new Date(whole.getTime() + request.expiresIn * 1000);
    return { url, signedAt: whole, expiresAt, warnings: [...warnings, ...credentialWarnings(credentials, expiresAt, whole)] };
  } finally {
    client.destroy();
  }
}

/**
 * A presigned POST policy (the SDK's createPresignedPost): an HTML form upload
 * to one key that S3 accepts only within the size range (`content-length-range`,
 * which a PUT URL cannot express) and, when given, with that Content-Type.
 * Throws PresignError.
 */
export async function presignPost(connection: S3Connection, request: PresignPostRequest): Promise<PresignedPost> {
  validate(request);
  if (request.maxSize !== undefined && (!Number.isSafeInteger(request.maxSize) || request.maxSize < 1)) {
    throw new PresignError(`The largest size must be a whole number of bytes, at least 1; got ${request.maxSize}.`, 'badInput');
  }
  const warnings = connectionWarnings(connection, request.bucket);
  const credentials = await resolveSigningCredentials(connection);
  const client = createS3Client({ ...connection, credentials });
  try {
    const signedAt = new Date();
    const post = await createPresignedPost(client, {
      Bucket: request.bucket,
      Key: request.key,
      Expires: request.expiresIn,
      Fields: request.contentType !== undefined ? { 'Content-Type': request.contentType } : {},
      Conditions: request.maxSize !== undefined ? [['content-length-range', 0, request.maxSize]] : [],
    });
    const expiresAt = new Date(signedAt.getTime() + request.expiresIn * 1000);
    return { url: post.url, fields: post.fields, expiresAt, warnings: [...warnings, ...credentialWarnings(credentials, expiresAt, signedAt)] };
  } finally {
    client.destroy();
  }
}

/** The curl command that uploads a file with the form: every field, then the file last (S3 ignores fields after it). */
export function postCurlCommand(post: { url: string; fields: Record<string, string> }, file = 'result.json'): string {
  const parts = ['curl', '-sS', '--fail-with-body', '-w', shellQuote('%{http_code}\\n')];
  for (const [name, value] of Object.entries(post.fields)) {
    parts.push('--form-string', shellQuote(`${name}=${value}`));
  }
  parts.push('-F', shellQuote(`file=@${file}`), shellQuote(post.url));
  return parts.join(' ');
}
