import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHistory } from '../../src/core/listener/eventHistory';
import { WebhookListener, type WebhookListenerOptions } from '../../src/core/listener/webhookListener';

/** A real listener on 127.0.0.1 with its history and received files in a fresh temporary folder. */
export interface TestListener {
  listener: WebhookListener;
  history: EventHistory;
  dir: string;
  historyFile: string;
  receivedDir: string;
  url: string;
  /** Log lines the listener wrote, as `level: message`. */
  logs: string[];
  /** Stops the listener, closes the history and removes the folder. */
  close(): Promise<void>;
}

/** Starts a listener for a test; pass `dir` to reuse a folder (a restart). */
export async function startTestListener(
  options: Partial<Omit<WebhookListenerOptions, 'history' | 'receivedDir'>> & { dir?: string; cap?: number } = {},
): Promise<TestListener> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 's3hooks-listener-')));
  const historyFile = join(dir, 'events.jsonl');
  const receivedDir = join(dir, 'received');
  const history = new EventHistory({ file: historyFile, cap: options.cap ?? 10_000 });
  await history.load();
  const logs: string[] = [];
  const listener = new WebhookListener({
    ...options,
    history,
    receivedDir,
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const url = await listener.start();
  let closed = false;
  return {
    listener,
    history,
    dir,
    historyFile,
    receivedDir,
    url,
    logs,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await listener.stop();
      await history.close();
      if (!options.dir) {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
