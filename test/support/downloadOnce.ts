/**
 * A child process for tests that must run the downloader in a process of its
 * own (on a disk mounted only for it): downloads argv[2] into argv[3] with the
 * extension's settings (pooled asynchronous writes) and prints the result or
 * the error as one JSON line. Run with `node --require tsx/cjs`.
 */
import { DownloadError, downloadUrl } from '../../src/core/download';

const [url, targetFolder] = process.argv.slice(2);
downloadUrl({ url, targetFolder, retryDelaysMs: [] }).then(
  (result) => process.stdout.write(`${JSON.stringify({ ok: true, path: result.path })}\n`),
  (err: unknown) => {
    const e = err as DownloadError;
    process.stdout.write(`${JSON.stringify({ ok: false, kind: e instanceof DownloadError ? e.kind : 'other', message: e.message })}\n`);
    process.exitCode = 1;
  },
);
