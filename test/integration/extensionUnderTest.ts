import * as vscode from 'vscode';
import { extensionId, type S3HooksApi } from '../../src/api';

/** How the extension came to be active in this extension host, for the activation-time report. */
export interface Activation {
  api: S3HooksApi;
  /** Wall time of the first `activate()` call, or undefined if something else had already activated it. */
  wallMs: number | undefined;
}

let activation: Promise<Activation> | undefined;

/**
 * Activates S3 Hooks (once per extension host) and returns its API. Every
 * integration test file uses this, so that whichever runs first measures the
 * real activation.
 */
export function activateS3Hooks(): Promise<Activation> {
  activation ??= (async () => {
    const extension = vscode.extensions.getExtension<S3HooksApi>(extensionId);
    if (!extension) {
      throw new Error(`Extension ${extensionId} is not loaded in this window`);
    }
    const wasActive = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    return { api, wallMs: wasActive ? undefined : performance.now() - started };
  })();
  return activation;
}

/** The S3 Hooks manifest as VS Code loaded it. */
export function s3HooksManifest(): { contributes: { commands: { command: string; title: string }[] } } {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) {
    throw new Error(`Extension ${extensionId} is not loaded in this window`);
  }
  return extension.packageJSON as { contributes: { commands: { command: string; title: string }[] } };
}
