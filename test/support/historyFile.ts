import { readFile } from 'node:fs/promises';
import type { WebhookEvent } from '../../src/core/listener/webhookEvent';

/**
 * Every line of a history file, parsed: a torn line anywhere (or a missing
 * final newline) fails with the line number. A missing file is no lines.
 */
export async function historyLines(file: string): Promise<WebhookEvent[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') {
      return '';
    }
    throw err;
  });
  if (text !== '' && !text.endsWith('\n')) {
    throw new Error(`${file} ends with an incomplete line`);
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line, i) => {
      try {
        return JSON.parse(line) as WebhookEvent;
      } catch {
        throw new Error(`${file} line ${i + 1} is torn: ${line.slice(0, 80)}…`);
      }
    });
}
