import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { SampleEventKind } from '../core/listener/sampleEvents';
import type { DemoDescription } from '../core/listener/testEvent';
import { redactUrl } from '../core/redact';
import { s3ConnectionFor } from '../ui/s3Connection';
import type { WebhookListenerService } from './webhookListenerService';

/** The first workspace folder with an `npm start` demo description (`.s3-hooks/demo.json`). */
async function findDemo(parseDemoDescription: (text: string) => DemoDescription | undefined): Promise<{ demo: DemoDescription; folder: vscode.WorkspaceFolder } | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const text = await readFile(vscode.Uri.joinPath(folder.uri, '.s3-hooks', 'demo.json').fsPath, 'utf8').catch(() => undefined);
    const demo = text === undefined ? undefined : parseDemoDescription(text);
    if (demo) {
      return { demo, folder };
    }
  }
  return undefined;
}

const kinds: (vscode.QuickPickItem & { sample: SampleEventKind })[] = [
  { sample: 'vkConfirmation', label: 'VK Cloud confirmation', detail: 'SubscriptionConfirmation: the listener answers {"signature":"…"}' },
  { sample: 's3Records', label: 'S3 bucket notification', detail: 'Records with s3:ObjectCreated:Put for an object' },
  { sample: 'klaviAnalysis', label: 'Klavi analysis finished', detail: 'An event with a presigned URL (live in the npm start demo bucket)' },
];

/** What `Send Test Event` did: the event's kind, what was posted, and the listener's answer. */
export interface TestEventResult {
  kind: SampleEventKind;
  url: string;
  status: number;
  answer: string;
  /** Whether the Klavi event's URL points at a real object in the demo bucket. */
  live?: boolean;
}

/**
 * `S3 Hooks: Send Test Event`: posts a sample event of a chosen kind to the
 * running listener (starting it if needed), so the whole flow can be seen with
 * no provider account.
 */
export async function sendTestEventCommand(
  context: vscode.ExtensionContext,
  service: WebhookListenerService,
  log: vscode.LogOutputChannel,
  args: { kind?: SampleEventKind } = {},
): Promise<TestEventResult | undefined> {
  const kind = args.kind ?? (await vscode.window.showQuickPick(kinds, { title: 'Send a test event to the webhook listener' }))?.sample;
  if (!kind) {
    return undefined;
  }
  const base = service.current.localUrl ?? (await service.start());
  if (!base) {
    throw new Error(`The listener is not running: ${service.current.error ?? 'it could not start'}`);
  }
  // Sample events (and the AWS SDK the demo bucket needs) load on first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { demoConnection, parseDemoDescription, postSampleEvent, testEventRequest } = require('../core/listener/testEvent') as typeof import('../core/listener/testEvent');
  const found = kind === 'vkConfirmation' ? undefined : await findDemo(parseDemoDescription);
  const demo = found && { connection: demoConnection(await s3ConnectionFor(context.secrets, found.folder.uri), found.demo), bucket: found.demo.bucket };
  const { path, body, headers, fileUrl, live } = await testEventRequest(kind, demo);
  if (fileUrl) {
    log.info(`Test Klavi event points at ${redactUrl(fileUrl)}${live ? '' : ' (an example URL: no npm start demo bucket in this workspace)'}`);
  }
  const target = base.replace(/\/$/, '') + '/' + path;
  const answer = await postSampleEvent(target, body, headers);
  const label = kinds.find((k) => k.sample === kind)!.label;
  const note = live === false ? ' Its presigned URL is an example (run `npm start` for a live demo bucket), so fetching it fails.' : '';
  void vscode.window.showInformationMessage(`Test event "${label}" sent: the listener answered ${answer.status} ${answer.text}.${note}`);
  return { kind, url: target, status: answer.status, answer: answer.text, live };
}
