import fc from 'fast-check';

/**
 * How hard the property tests push. `npm test` runs a fixed seed and a modest
 * count, so the unit stage stays fast and a failure is the same on every run;
 * `npm run fuzz` sets S3_HOOKS_FUZZ_SEED (random, printed) and
 * S3_HOOKS_FUZZ_RUNS (far more) for the same properties. A failing run prints
 * the seed and the shrunk counterexample; `npm run fuzz -- <seed>` replays it.
 */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  const seed = process.env.S3_HOOKS_FUZZ_SEED !== undefined ? Number(process.env.S3_HOOKS_FUZZ_SEED) : 20261201;
  const scale = process.env.S3_HOOKS_FUZZ_RUNS !== undefined ? Number(process.env.S3_HOOKS_FUZZ_RUNS) / 100 : 1;
  return { seed, numRuns: Math.max(1, Math.round(runs * scale)) };
}

/** Leaves that break readers that trust types: huge and odd numbers, numeric strings past Date's range, empty and control text. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e300, -1e300, 1e21, 8.64e15 + 1, -0, Number.MAX_SAFE_INTEGER, 0.5, '', ' ', '\u0000', '99999999999999999999', '1e300', 'NaN', '-1', '2026-13-45T99:99:99Z', '__proto__', 'toString'),
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ toString: 1 }),
  fc.constant([]),
  fc.constant({}),
);

/** Any JSON value, with hostile leaves mixed in. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 })),
})).value;

/** A field value: usually hostile, sometimes the right type. */
export function fieldOf<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(good, hostileJson);
}

/** A value nested `depth` deep without recursion (arrays and objects alternating), for walkers. */
export function deeplyNested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? [value] : { Records: value };
  }
  return value;
}

/** Whole-seconds text that is sometimes sane and often not. */
const secondsText = fc.oneof(fc.nat({ max: 604_800 }).map(String), fc.string({ maxLength: 30 }), fc.double().map(String), fc.stringMatching(/^\d{1,400}$/));
const amzDate = fc.oneof(fc.stringMatching(/^\d{8}T\d{6}Z$/), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:]|\.\d{3}/g, '')), fc.string({ maxLength: 20 }));

/** Presigned-looking URLs (SigV4, SigV2, other providers') with hostile expiry parameters, keys and hosts. */
export const presignedUrlText: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({ host: fc.constantFrom('b.s3.us-east-1.amazonaws.com', 's3.amazonaws.com', '127.0.0.1:9000', 'x.s3-eu-west-1.amazonaws.com.cn'), key: fc.string({ maxLength: 30 }), date: amzDate, expires: secondsText })
    .map(({ host, key, date, expires }) => `https://${host}/${encodeURIComponent(key)}?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${encodeURIComponent(date)}&X-Amz-Expires=${encodeURIComponent(expires)}&X-Amz-Signature=abc`),
  fc.record({ key: fc.string({ maxLength: 30 }), expires: secondsText }).map(({ key, expires }) => `http://b.s3.amazonaws.com/${key}?AWSAccessKeyId=A&Expires=${encodeURIComponent(expires)}&Signature=s`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string().map((s) => `https://${s}?X-Amz-Signature=${s}`),
);
