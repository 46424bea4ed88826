import * as vscode from 'vscode';
import { jsonDocuments, scan } from './presignedUrlLens';

/** Context key: the active editor is a JSON document that points at a file to fetch. */
export const activeEditorHasFileReferencesKey = 's3Hooks.activeEditorHasFileReferences';

/** Edits are re-scanned after a pause in typing, not on every keystroke. */
const rescanDelayMs = 300;

/**
 * Keeps {@link activeEditorHasFileReferencesKey} true while the active editor
 * holds file references, so the editor title's Fetch button shows on event
 * JSON and not on every JSON file (package.json, tsconfig.json, …).
 */
export class ActiveEditorFileReferences implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private current: boolean | undefined;

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.update(), rescanDelayMs);
        }
      }),
    ];
    this.update();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const has = doc !== undefined && vscode.languages.match(jsonDocuments, doc) > 0 && (scan(doc)?.refs.length ?? 0) > 0;
    if (has !== this.current) {
      this.current = has;
      void vscode.commands.executeCommand('setContext', activeEditorHasFileReferencesKey, has);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
