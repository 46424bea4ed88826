import type { S3ErrorBody, S3ErrorContext, S3ErrorKind } from './s3Errors';

// The table of S3 error codes and what each means for the user: one entry per code, read by
// explainS3Error (s3Errors.ts) for the presigned-PUT test, the fetch of presigned GETs and the CLI.

export interface Explanation {
  kind: S3ErrorKind;
  summary: string;
  hint?: string;
}

type Explainer = (body: S3ErrorBody, context: Required<S3ErrorContext>) => Explanation;

export function isExpiredMessage(message: string | undefined): boolean {
  return !!message && /request has expired|expired/i.test(message);
}

export function expiredExplanation(body: S3ErrorBody, context: Required<S3ErrorContext>): Explanation {
  const when = body.fields.Expires ? ` at ${body.fields.Expires}` : '';
  const server = body.fields.ServerTime ? ` (S3's clock said ${body.fields.ServerTime})` : '';
  return {
    kind: 'expired',
    summary: `The presigned URL has expired${when}${server}.`,
    hint: context.operation === 'download'
      ? 'Ask the sender for a fresh link; an expired URL cannot be revived.'
      : 'Create a new presigned URL, with an expiry that covers the job and its retries.',
  };
}

/**
 * One entry per S3 error code. Kept general: the presigned-PUT test and the
 * presigned-GET fetch both explain their failures with this table.
 */
export const explainers: Record<string, Explainer> = {
  AccessDenied: (body, context) => {
    if (isExpiredMessage(body.message)) {
      return expiredExplanation(body, context);
    }
    return {
      kind: 'accessDenied',
      summary: context.presigned
        ? `S3 refused access: the credentials that signed the URL may not ${context.operation === 'upload' ? 'write (s3:PutObject)' : 'read (s3:GetObject)'} this key, or a bucket policy denies it.`
        : 'S3 refused access: these credentials lack permission for this bucket or key, or a bucket policy denies it.',
      hint: 'Check the IAM policy of the signing credentials and the bucket policy.',
    };
  },
  SignatureDoesNotMatch: (_body, context) => ({
    kind: 'signature',
    summary:
      context.operation === 'upload'
        ? "The signature does not match the request: the Content-Type (or another signed header) differs from what the URL was signed for, or the URL was changed after signing (cut short, re-encoded, or signed for another method)."
        : 'The signature does not match the request: the URL was changed after signing (cut short, re-encoded, a parameter edited), or it was signed for another method.',
    hint:
      context.operation === 'upload'
        ? 'Send exactly the headers the URL was signed with (the Content-Type in particular) and use the URL unmodified.'
        : 'Use the URL exactly as it was given, without re-encoding it.',
  }),
  InvalidAccessKeyId: () => ({
    kind: 'accessDenied',
    summary: 'The access key that signed the request is unknown to this S3 service (a different account or endpoint, or the key was deleted).',
    hint: 'Check the endpoint and region, and which credentials signed the URL.',
  }),
  ExpiredToken: (body, context) => ({
    ...expiredExplanation(body, context),
    summary: 'The temporary credentials (session token) that signed the request have expired; the URL died with them.',
    hint: 'Sign with long-lived credentials, or create a new URL that expires before the credentials do.',
  }),
  TokenRefreshRequired: (body, context) => ({
    ...expiredExplanation(body, context),
    summary: 'The temporary credentials (session token) that signed the request must be refreshed.',
    hint: 'Refresh the session and create a new URL.',
  }),
  InvalidToken: () => ({
    kind: 'accessDenied',
    summary: 'The session token in the request is malformed or invalid.',
    hint: 'Sign again with valid credentials.',
  }),
  AuthorizationQueryParametersError: (body) => ({
    kind: isExpiredMessage(body.message) ? 'expired' : 'badRequest',
    summary: "The URL's signing parameters are malformed (for example X-Amz-Expires above 604800 seconds, or a credential scope for another region or service).",
    hint: 'Create the URL again with a supported expiry (at most 7 days) and the bucket\'s region.',
  }),
  AuthorizationHeaderMalformed: (body) => regionExplanation(body),
  PermanentRedirect: (body) => regionExplanation(body),
  TemporaryRedirect: (body) => regionExplanation(body),
  IllegalLocationConstraintException: (body) => regionExplanation(body),
  NoSuchKey: (body) => ({
    kind: 'notFound',
    summary: `There is no object at this key${body.fields.Key ? ` (${body.fields.Key})` : ''}: it was never uploaded, was deleted, or the key in the URL is wrong.`,
  }),
  NoSuchBucket: (body) => ({
    kind: 'notFound',
    summary: `The bucket${body.fields.BucketName ? ` ${body.fields.BucketName}` : ''} does not exist on this endpoint.`,
    hint: 'Check the bucket name, the endpoint and the region.',
  }),
  NoSuchUpload: () => ({ kind: 'notFound', summary: 'The multipart upload does not exist (it was completed or aborted).' }),
  NoSuchVersion: () => ({ kind: 'notFound', summary: 'The requested version of the object does not exist.' }),
  InvalidBucketName: () => ({
    kind: 'badRequest',
    summary: 'S3 does not accept this bucket name.',
    hint: 'Bucket names are 3-63 lowercase letters, digits, dots and hyphens.',
  }),
  KeyTooLongError: () => ({ kind: 'badRequest', summary: 'The object key is longer than 1024 bytes.' }),
  EntityTooLarge: () => ({ kind: 'badRequest', summary: 'The upload is larger than S3 allows for one PUT (5 GiB).' }),
  MissingContentLength: () => ({ kind: 'badRequest', summary: 'The upload was sent without a Content-Length header.' }),
  MethodNotAllowed: (_body, context) => ({
    kind: 'badRequest',
    summary: `S3 does not allow this method here${context.presigned ? '; the URL may have been signed for another method (GET vs PUT)' : ''}.`,
  }),
  PreconditionFailed: () => ({ kind: 'badRequest', summary: 'A precondition (If-Match / If-None-Match / If-Unmodified-Since) failed: the object changed.' }),
  InvalidRange: () => ({ kind: 'badRequest', summary: 'The requested byte range is outside the object.' }),
  RequestTimeTooSkewed: (body) => ({
    kind: 'badRequest',
    summary: `This computer's clock differs too much from S3's${body.fields.ServerTime ? ` (S3's time: ${body.fields.ServerTime})` : ''}.`,
    hint: 'Synchronise the system clock and sign again.',
  }),
  XAmzContentSHA256Mismatch: () => ({ kind: 'badRequest', summary: 'The body does not match the checksum the request declared.' }),
  BadDigest: () => ({ kind: 'badRequest', summary: 'The body does not match the Content-MD5 the request declared.' }),
  InvalidDigest: () => ({ kind: 'badRequest', summary: 'The Content-MD5 header is malformed.' }),
  InvalidArgument: (body) => ({ kind: 'badRequest', summary: `S3 rejected an argument of the request${body.fields.ArgumentName ? ` (${body.fields.ArgumentName})` : ''}.` }),
  InvalidRequest: () => ({ kind: 'badRequest', summary: 'S3 rejected the request as invalid.' }),
  RequestTimeout: () => ({ kind: 'badRequest', summary: 'The upload was too slow: S3 closed the connection before the body arrived.', hint: 'Try again.' }),
  InvalidObjectState: () => ({
    kind: 'badRequest',
    summary: 'The object is archived (Glacier / Deep Archive) and must be restored before it can be read.',
  }),
  AllAccessDisabled: () => ({ kind: 'accessDenied', summary: 'All access to this bucket has been disabled.' }),
  AccountProblem: () => ({ kind: 'accessDenied', summary: 'The AWS account owning the bucket has a problem that prevents the operation.' }),
  NotImplemented: () => ({ kind: 'badRequest', summary: 'This S3 service does not implement the requested feature.' }),
  SlowDown: () => ({ kind: 'throttled', summary: 'S3 asked to slow down (too many requests).', hint: 'Retry after a short wait.' }),
  ServiceUnavailable: () => ({ kind: 'throttled', summary: 'S3 is temporarily unavailable.', hint: 'Retry after a short wait.' }),
  InternalError: () => ({ kind: 'server', summary: 'S3 had an internal error.', hint: 'Retry; it is usually transient.' }),
};

function regionExplanation(body: S3ErrorBody): Explanation {
  const region = body.fields.Region;
  const endpoint = body.fields.Endpoint;
  const where = region ? ` The bucket is in ${region}.` : endpoint ? ` S3 says to use ${endpoint}.` : '';
  return {
    kind: 'wrongRegion',
    summary: `The request was signed for, or sent to, the wrong region or endpoint.${where}`,
    hint: region ? `Sign for region ${region} (s3Hooks.s3.region / --region).` : 'Set the region and endpoint of the bucket.',
  };
}
