import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { findFileReferences, parseEventJson } from '../core/events';
import type { DownloadQueue, EventFileFetcher } from '../services';
import { ActiveEditorFileReferences } from './activeEditorReferences';
import { FetchFromEventCommand, type FetchFromEventArgs } from './fetchCommand';
import { jsonDocuments, PresignedUrlCodeLensProvider, PresignedUrlHoverProvider } from './presignedUrlLens';

export type { FetchFromEventArgs } from './fetchCommand';

/**
 * `S3 Hooks: Fetch File from Event JSON` (Explorer, editor context and title,
 * palette; URI, text or argument object), the CodeLens above presigned URLs
 * and the hover that decodes them.
 */
export function registerFetch(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, downloads: DownloadQueue): EventFileFetcher {
  const command = new FetchFromEventCommand(downloads, log);
  const lenses = new PresignedUrlCodeLensProvider();
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.fetchFromEvent, (arg?: vscode.Uri | string | FetchFromEventArgs, selection?: vscode.Uri[]) =>
      command.run(arg, Array.isArray(selection) ? selection : undefined),
    ),
    lenses,
    vscode.languages.registerCodeLensProvider(jsonDocuments, lenses),
    vscode.languages.registerHoverProvider(jsonDocuments, new PresignedUrlHoverProvider()),
    new ActiveEditorFileReferences(),
  );
  return {
    async fetchAll(bodyJson, source, options = {}) {
      const parsed = parseEventJson(bodyJson);
      if (!parsed.ok) {
        throw new Error(parsed.error.message);
      }
      const refs = findFileReferences(parsed.value).filter((ref) => {
        const reason = options.refuse?.(ref);
        if (reason !== undefined) {
          options.onRefused?.(ref, reason);
        }
        return reason === undefined;
      });
      const sourceUri = source.uri ? vscode.Uri.parse(source.uri) : undefined;
      const entries = refs.length > 0 ? await command.fetchInBackground(refs, { label: source.label, uri: sourceUri }, options.folder, options.maxBytes) : [];
      const failed = entries.filter((e) => e.status !== 'done');
      if (failed.length > 0) {
        throw new Error(failed.map((e) => `${e.fileName}: ${e.message ?? e.status}`).join('; '));
      }
      return { bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
    },
  };
}
