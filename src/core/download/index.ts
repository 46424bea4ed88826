/**
 * Downloader: fetches what an event points at into a folder, safely (part
 * files, no overwrites, resume, retries, plain S3 errors). Shared by the fetch
 * command, Recent Downloads, the CLI and the listener's auto-fetch.
 */
export { downloadUrl, type DownloadOptions, type DownloadProgress, type DownloadResult, type ParallelOptions } from './downloader';
export { parallelDefaults } from './options';
export { discardPart } from './partLedger';
export { parallelFromSettings, type DownloadSettings } from './downloadSettings';
export type { HttpTransport } from './httpGet';
export { DownloadError, isAbortError, type DownloadErrorKind } from './downloadError';
export { fetchReference, presignObjectGet, type FetchReferenceOptions } from './fetchReference';
export { sanitizeFileName, fileNameFromContentDisposition, numberedName } from './fileNames';
