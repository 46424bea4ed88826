import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import type { S3Connection } from '../../src/core/s3/connection';
import { fetchEventsDemo } from './fetch';
import { presignedCallbacksDemo } from './presign';

/** The embedded S3-compatible server `npm start` runs (a SigV4-verifying @20minutes/s3rver). */
export interface DemoS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  region: string;
  bucket: string;
  forcePathStyle: true;
  /** Reaches the server with its keys (S3RVER / S3RVER): for demo steps, never for files or settings. */
  connection: S3Connection;
}

/** What a demo step gets: see {@link demoSteps}. */
export interface DemoContext {
  s3: DemoS3;
  /** Absolute path of sample/ (the workspace `npm start` opens). */
  sampleDir: string;
  /**
   * Folder for generated files (sample/live/, ignored by git): write files
   * with live presigned URLs here rather than changing checked-in examples.
   */
  liveDir: string;
  /** Sets one setting in sample/.vscode/settings.json (comments and other keys are kept). */
  setSampleSetting(key: string, value: unknown): Promise<void>;
  log(message: string): void;
}

/** One piece of demo content that `npm start` generates once the local S3 server is up. */
export interface DemoStep {
  /** Shown while it runs, e.g. "presigned PUT callbacks in sample/live/voicebase-job.json". */
  title: string;
  run(demo: DemoContext): Promise<void>;
}

/**
 * Everything `npm start` generates before it opens VS Code, in order. A
 * feature adds its demo content with one line here (its step lives in
 * scripts/demo/<feature>.ts). A failing step is reported and skipped; the
 * others still run.
 */
export const demoSteps: DemoStep[] = [
  { title: 'connection details in sample/.s3-hooks/demo.json', run: writeDemoDescription },
  { title: 'presigned PUT callbacks in sample/live/voicebase-job.callbacks.json', run: presignedCallbacksDemo },
  { title: 'events with live and expired presigned GET URLs in sample/live/*event*.json', run: fetchEventsDemo },
];

/**
 * sample/.s3-hooks/demo.json: where the demo S3 server is, for anything that
 * is not a demo step (a test, a script, a person). Holds no keys: the server
 * uses @20minutes/s3rver's defaults, which `npm start` gives VS Code through
 * the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 */
async function writeDemoDescription({ s3, sampleDir }: DemoContext): Promise<void> {
  const file = join(sampleDir, '.s3-hooks', 'demo.json');
  const description = {
    endpoint: s3.endpoint,
    port: s3.port,
    region: s3.region,
    bucket: s3.bucket,
    forcePathStyle: s3.forcePathStyle,
    credentials: 'environment of the code-server process (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)',
    startedAt: new Date().toISOString(),
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(description, null, 2)}\n`);
}

/** Sets `key` to `value` in a JSON-with-comments settings file, creating it if needed and keeping everything else. */
export async function setJsoncSetting(file: string, key: string, value: unknown): Promise<void> {
  let text = '{\n}\n';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  const edits = modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, applyEdits(text, edits));
}
