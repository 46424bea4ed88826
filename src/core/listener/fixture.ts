import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createUniqueFile } from '../download/fileNames';
import { fixtureFileName } from './replay';
import { inlineBody, type WebhookEvent } from './webhookEvent';

/** Why an event cannot be saved as a fixture (asked before choosing a folder), or undefined. */
export function fixtureProblem(event: WebhookEvent): string | undefined {
  return event.body.dropped ? 'This event has no body to save: it was over the size limit.' : undefined;
}

/**
 * Saves an event's body into `folder` as a test fixture (`fixtureFileName`),
 * never replacing a file: the name is reserved first (` (1)`, ` (2)`… when
 * taken), then filled. Resolves to the saved file's path.
 */
export async function saveEventAsFixture(event: WebhookEvent, folder: string): Promise<string> {
  const problem = fixtureProblem(event);
  if (problem) {
    throw new Error(problem);
  }
  await mkdir(folder, { recursive: true });
  const target = await createUniqueFile(folder, fixtureFileName(event));
  const bytes = inlineBody(event);
  if (bytes) {
    await writeFile(target, bytes);
  } else if (event.body.file) {
    await copyFile(event.body.file, target);
  }
  return target;
}
