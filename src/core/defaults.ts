/**
 * Defaults that more than one front end states: the VS Code settings
 * (package.json, checked against this table by test/unit/manifest.test.ts),
 * the CLI's options and its help text. One place, so that `s3-hooks listen`
 * and the extension's listener behave alike when nothing is configured.
 */
export const listenerDefaults = {
  host: '127.0.0.1',
  /**
   * A fixed port (not 0 = any free port): a tunnel and the URL registered with
   * a provider point at it, so it must be the same at every start.
   */
  port: 8765,
  /** 100 MiB: large enough for a vendor PUT-ting a result file. */
  bodyLimit: 100 * 1024 * 1024,
  /** JSON and text bodies up to this size are kept in the event itself; larger ones go to a file. */
  inlineLimit: 1024 * 1024,
  answerStatus: 200,
  /** Events kept in the history (and in the Webhook Events view); the file is rotated beyond it. */
  historyCap: 5000,
  autoFetch: false,
  /** Hosts auto-fetch may GET presigned URLs from: AWS S3's own (the configured endpoint's host is added). */
  autoFetchHosts: [
    's3.amazonaws.com',
    '*.s3.amazonaws.com',
    's3.*.amazonaws.com',
    '*.s3.*.amazonaws.com',
    's3-*.amazonaws.com',
    '*.s3-*.amazonaws.com',
    '*.s3.dualstack.*.amazonaws.com',
    's3.*.amazonaws.com.cn',
    '*.s3.*.amazonaws.com.cn',
  ],
  /** Buckets auto-fetch may read with the user's credentials: none until the user lists them. */
  autoFetchBuckets: [] as string[],
  autoFetchMaxFileMegabytes: 1024,
  autoFetchMegabytesPerHour: 4096,
  snsAutoConfirm: false,
  /**
   * Connections held at once. High, because idle and slow ones are dropped to
   * make room (idle first); each costs a few kilobytes.
   */
  maxConnections: 2048,
  /** A body must arrive at least this fast on average (after a few seconds' grace)… */
  minBodyBytesPerSecond: 1024,
  bodyPaceGraceMs: 3_000,
  /** …and a JSON/text body (an event, held in memory) within this. */
  inlineBodyTimeoutMs: 10_000,
  /** A client has this long to send its headers… */
  headersTimeoutMs: 10_000,
  /** …and this long for the whole request (a slow PUT of a large file included). */
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  /** Once a body has arrived, its answer is sent within this time (503 if it could not be stored by then). */
  answerDeadlineMs: 5_000,
} as const;

/** The body limit as the `listener.maxBodyMegabytes` setting states it. */
export const listenerMaxBodyMegabytes = listenerDefaults.bodyLimit / (1024 * 1024);
