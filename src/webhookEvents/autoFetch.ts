import type * as vscode from 'vscode';
import { autoFetchSkipReason } from '../core/listener/webhookEvent';
import type { EventFileFetcher, ReceivedEvents } from '../services';
import { readSetting, SettingKeys } from '../settings';
import { fetchSourceFor } from './eventDocumentProvider';

/**
 * `s3Hooks.listener.autoFetch`: every event the listener stores that points at
 * files is fetched in the background (Recent Downloads shows it); the setting
 * is read per event, so turning it on or off applies at once.
 */
export function registerAutoFetch(listener: ReceivedEvents, fetchFiles: EventFileFetcher, log: vscode.LogOutputChannel): vscode.Disposable {
  return listener.onDidReceiveEvent((event) => {
    if ((event.fileReferences ?? 0) === 0 || event.body.text === undefined || !readSetting<boolean>(SettingKeys.listenerAutoFetch)) {
      return;
    }
    const skip = autoFetchSkipReason(event);
    if (skip) {
      log.info(`Auto-fetch: event ${event.id} skipped: ${skip}`);
    } else {
      log.info(`Auto-fetch: event ${event.id} (${event.label}) points at ${event.fileReferences} file(s)`);
      fetchFiles.fetchAll(event.body.text, fetchSourceFor(event)).catch((err: unknown) =>
        log.error(`Auto-fetch of event ${event.id} failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
  });
}
