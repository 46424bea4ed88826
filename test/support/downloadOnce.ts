/**
 * A child process for tests that must run the downloader in a process of its
 * own (on a disk mounted only for it): downloads argv[2] into argv[3] with the
 * extension's settings (pooled asynchronous writes; argv[4], if given, is
 * JSON for the `parallel` option) and prints the result or the error as one
 * JSON line. Run with `node --require tsx/cjs`.
 */
import { DownloadError, downloadUrl, type ParallelOptions } from '../../src/core/download';

const [url, targetFolder, parallel] = process.argv.slice(2);
downloadUrl({ url, targetFolder, retryDelaysMs: [], parallel: parallel ? (JSON.parse(parallel) as ParallelOptions) : undefined }).then(
  (result) => process.stdout.write(`${JSON.stringify({ ok: true, path: result.path })}\n`),
  (err: unknown) => {
    const e = err as DownloadError;
    process.stdout.write(`${JSON.stringify({ ok: false, kind: e instanceof DownloadError ? e.kind : 'other', message: e.message })}\n`);
    process.exitCode = 1;
  },
);
