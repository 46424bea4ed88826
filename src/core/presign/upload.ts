import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { bucketNameProblem, objectKeyProblem } from '../s3/names';
import { contentTypeProblem } from './contentTypes';
import { describeDuration, expiryProblem, formatInstant } from './expiry';

// The SDK-free half of presigning: requests, results, warnings, checks and curl commands. The VS Code
// layer imports only this at activation; presignPut.ts (which loads the AWS SDK) is loaded when signing.

/** One presigned PUT to make. */
export interface PresignPutRequest {
  bucket: string;
  key: string;
  /** When given, it is signed: the uploader must send exactly this Content-Type. */
  contentType?: string;
  /** Lifetime in seconds, 1 … 604800. */
  expiresIn: number;
  /** Sign as of this instant instead of now (reproducible output). */
  signingDate?: Date;
}

/** A presigned PUT URL and everything an uploader needs to use it. */
export interface PresignedPut {
  /** The URL. A bearer credential while it lives: log it only through redactUrl. */
  url: string;
  method: 'PUT';
  /** The headers the uploader must send exactly (the signed Content-Type); empty when none is signed. */
  headers: Record<string, string>;
  /** The instant the URL was signed (X-Amz-Date). */
  signedAt: Date;
  /** The instant S3 starts refusing it (X-Amz-Date + X-Amz-Expires). */
  expiresAt: Date;
  bucket: string;
  key: string;
}

export type PresignWarningCode = 'temporaryCredentials' | 'sessionCredentials' | 'alreadyExpired' | 'connection' | 'shortForVendor';

/** Something the user must know about the URLs, though they were made. */
export interface PresignWarning {
  code: PresignWarningCode;
  message: string;
}

/** Why no URL could be made: bad input (with a user-level message) or no usable credentials. */
export class PresignError extends Error {
  constructor(
    message: string,
    readonly kind: 'badInput' | 'credentials',
  ) {
    super(message);
    this.name = 'PresignError';
  }
}

/** The generic single-URL form, for tools and vendors that take a URL with its method and headers. */
export interface GenericUploadJson {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

/** `{ url, method, headers, expiresAt }` for a presigned PUT. */
export function genericUploadJson(upload: PresignedPut): GenericUploadJson {
  return { url: upload.url, method: upload.method, headers: upload.headers, expiresAt: formatInstant(upload.expiresAt) };
}

/** Throws PresignError (badInput) with the first problem of a request. */
export function validatePresignRequest(request: PresignPutRequest): void {
  const problem =
    bucketNameProblem(request.bucket) ??
    objectKeyProblem(request.key) ??
    expiryProblem(request.expiresIn) ??
    (request.contentType !== undefined ? contentTypeProblem(request.contentType) : undefined) ??
    (request.signingDate && Number.isNaN(request.signingDate.getTime()) ? 'The signing date is not a valid date.' : undefined);
  if (problem) {
    throw new PresignError(problem, 'badInput');
  }
}

/**
 * Warns when temporary credentials die before the URL does: S3 then refuses
 * the URL from the credentials' expiry on, whatever X-Amz-Expires says.
 */
export function credentialWarnings(credentials: AwsCredentialIdentity, expiresAt: Date, signedAt: Date): PresignWarning[] {
  if (credentials.expiration && credentials.expiration.getTime() < expiresAt.getTime()) {
    const usable = Math.max(0, Math.floor((credentials.expiration.getTime() - signedAt.getTime()) / 1000));
    return [
      {
        code: 'temporaryCredentials',
        message:
          `The URL is signed with temporary credentials that expire at ${formatInstant(credentials.expiration)}, ` +
          `before the URL's own expiry at ${formatInstant(expiresAt)}: S3 will refuse it from ${formatInstant(credentials.expiration)} on. ` +
          `Sign with long-lived credentials (an IAM user's access keys), or choose an expiry of at most ${usable} seconds (${describeDuration(usable)}).`,
      },
    ];
  }
  if (credentials.sessionToken && !credentials.expiration) {
    return [
      {
        code: 'sessionCredentials',
        message:
          `The URL is signed with temporary credentials (a session token) whose expiry is unknown: it stops working when they expire, ` +
          `possibly before ${formatInstant(expiresAt)}. Sign with long-lived credentials to be sure.`,
      },
    ];
  }
  return [];
}

/** Presigned URLs and what the user must be told about them. */
export interface PresignResult {
  uploads: PresignedPut[];
  warnings: PresignWarning[];
}

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The curl command that uploads a file to a presigned PUT URL correctly: PUT
 * with `--upload-file` (which, unlike `--data-binary`, adds no form
 * Content-Type of its own), exactly the signed headers, no URL globbing, no
 * progress meter; it prints the HTTP status (200 when stored), and S3's error
 * body with a non-zero exit when refused. It contains the URL
 * itself: it is shown to the user on purpose, never logged.
 */
export function curlCommand(upload: Pick<PresignedPut, 'url' | 'method' | 'headers'>, file = 'result.json'): string {
  const parts = ['curl', '-sS', '--fail-with-body', '--globoff', '-w', shellQuote('%{http_code}\\n'), '-X', upload.method];
  for (const [name, value] of Object.entries(upload.headers)) {
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  parts.push('--upload-file', shellQuote(file), shellQuote(upload.url));
  return parts.join(' ');
}
