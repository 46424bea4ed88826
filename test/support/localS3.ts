import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import S3rver from '@20minutes/s3rver';
import { createS3Client, type S3Connection } from '../../src/core/s3/connection';

/** Default credentials of @20minutes/s3rver. */
export const localS3Keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A running @20minutes/s3rver (which really verifies SigV4) on 127.0.0.1 with throwaway storage. */
export interface LocalS3 {
  endpoint: string;
  port: number;
  buckets: string[];
  /** Connection options that reach this server with its default keys, path-style. */
  connection: S3Connection;
  /** Reads an object back as stored (bytes, the same as text, and its Content-Type). */
  readObject(key: string, bucket?: string): Promise<StoredObject>;
  close(): Promise<void>;
}

/** An object as the server stores it. */
export interface StoredObject {
  bytes: Buffer;
  text: string;
  contentType?: string;
}

/** Starts a local S3 server holding the given (empty) buckets. Call `close()` in an `after` hook. */
export async function startLocalS3(buckets: string[] = ['bkt']): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3-hooks-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const connection: S3Connection = { region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { ...localS3Keys } };
  return {
    endpoint,
    port,
    buckets,
    connection,
    async readObject(key, bucket = 'bkt') {
      const client = createS3Client(connection);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = Buffer.from(await out.Body!.transformToByteArray());
        return { bytes, text: bytes.toString('utf8'), contentType: out.ContentType };
      } finally {
        client.destroy();
      }
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
