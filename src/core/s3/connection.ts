import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** How to reach and authenticate to an S3 (or S3-compatible) service. Shared by the extension and the CLI. */
export interface S3Connection {
  /** Region to sign for. S3-compatible services usually accept `us-east-1`. */
  region: string;
  /** Endpoint of an S3-compatible service; undefined for AWS S3. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`) rather than virtual-hosted (`bucket.endpoint/key`). */
  forcePathStyle?: boolean;
  /** Named profile of the shared config/credentials files; undefined for the default chain. */
  profile?: string;
  /** Explicit keys (from VS Code's SecretStorage or a test); take precedence over the chain. */
  credentials?: AwsCredentialIdentity;
}

/**
 * The credential provider for a connection: explicit keys when given, else the
 * standard AWS chain (environment, shared files with the chosen profile, SSO,
 * process, container and instance metadata).
 */
export function credentialProvider(connection: S3Connection): AwsCredentialIdentityProvider {
  if (connection.credentials) {
    const keys = connection.credentials;
    return () => Promise.resolve(keys);
  }
  return fromNodeProviderChain(connection.profile ? { profile: connection.profile } : {});
}

/**
 * An S3 client for the connection. Checksums are only computed when an
 * operation requires them: otherwise recent SDKs put `x-amz-checksum-*`
 * parameters into presigned PUT URLs, which break real uploads
 * (aws-sdk-js-v3 issue 6810).
 */
export function createS3Client(connection: S3Connection): S3Client {
  return new S3Client({
    region: connection.region,
    endpoint: connection.endpoint || undefined,
    forcePathStyle: connection.forcePathStyle ?? false,
    credentials: credentialProvider(connection),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
