import { dirname, join } from 'node:path';
import type * as vscode from 'vscode';
import { listenerDefaults } from '../core/defaults';
import { allowedHosts, AutoFetchBudget, autoFetchRefusal, byteLimits, type AutoFetchLimits } from '../core/listener/autoFetchPolicy';
import { autoFetchSkipReason } from '../core/listener/webhookEvent';
import type { EventFileFetcher, ReceivedEvents } from '../services';
import { readSetting, SettingKeys } from '../settings';
import { fetchSourceFor } from './eventDocumentProvider';
import { errorText } from '../core/errorText';

/** The limits as the (machine-scoped) settings state them, read per event so that a change applies at once. */
function limitsFromSettings(): AutoFetchLimits {
  return {
    hosts: allowedHosts(readSetting<string[]>(SettingKeys.listenerAutoFetchHosts) ?? listenerDefaults.autoFetchHosts, readSetting<string>(SettingKeys.s3Endpoint)),
    buckets: readSetting<string[]>(SettingKeys.listenerAutoFetchBuckets) ?? listenerDefaults.autoFetchBuckets,
    ...byteLimits(
      readSetting<number>(SettingKeys.listenerAutoFetchMaxFileMegabytes) ?? listenerDefaults.autoFetchMaxFileMegabytes,
      readSetting<number>(SettingKeys.listenerAutoFetchMegabytesPerHour) ?? listenerDefaults.autoFetchMegabytesPerHour,
    ),
  };
}

/**
 * `s3Hooks.listener.autoFetch`: every event the listener stores that points at
 * files is fetched in the background (Recent Downloads shows it), within the
 * limits core/listener/autoFetchPolicy decides, into the history folder's
 * `fetched/` (the settings involved are machine-scoped: a workspace cannot
 * switch auto-fetch on, widen it or aim it).
 */
export function registerAutoFetch(listener: ReceivedEvents, fetchFiles: EventFileFetcher, log: vscode.LogOutputChannel): vscode.Disposable {
  const budget = new AutoFetchBudget();
  return listener.onDidReceiveEvent((event) => {
    if ((event.fileReferences ?? 0) === 0 || event.body.text === undefined || !readSetting<boolean>(SettingKeys.listenerAutoFetch)) {
      return;
    }
    const skip = autoFetchSkipReason(event);
    if (skip) {
      log.info(`Auto-fetch: event ${event.id} skipped: ${skip}`);
      return;
    }
    const limits = limitsFromSettings();
    log.info(`Auto-fetch: event ${event.id} (${event.label}) points at ${event.fileReferences} file(s)`);
    fetchFiles
      .fetchAll(event.body.text, fetchSourceFor(event), {
        refuse: (ref) => autoFetchRefusal(ref, limits, budget.used()),
        onRefused: (ref, reason) => log.warn(`Auto-fetch: ${ref.label} from event ${event.id} not fetched: ${reason}. Fetch it from the event if you want it.`),
        folder: join(dirname(listener.history.file), 'fetched'),
        // The event's stated size was checked above; this holds the limit when it states none, or a false one.
        maxBytes: limits.maxFileBytes,
      })
      .then(
        ({ bytes }) => budget.record(bytes),
        (err: unknown) => log.error(`Auto-fetch of event ${event.id} failed: ${errorText(err)}`),
      );
  });
}
