import * as vscode from 'vscode';
import { referencesFromText, type JsonPath } from '../core/events';

// What `S3 Hooks: Fetch File from Event JSON` reads events from: its argument, else the selection,
// the active JSON document, the clipboard or an input box.

/**
 * The argument object `S3 Hooks: Fetch File from Event JSON` accepts (tests,
 * keybindings, other extensions, CodeLens). A `vscode.Uri` or a string (event
 * JSON or a URL) works too.
 */
export interface FetchFromEventArgs {
  /** An event JSON file (its open editor's text when open, so unsaved edits count). */
  uri?: string | vscode.Uri;
  /** Event JSON or a URL, instead of a file. */
  text?: string;
  /** Only the reference at this place in the document (what a CodeLens passes). */
  jsonPath?: JsonPath;
  /** Every reference, without asking; default: ask when there are several. */
  all?: boolean;
  /** Folder to save into: absolute, or relative to the event's workspace folder. Default: the setting. */
  targetFolder?: string;
}

export type FetchArg = vscode.Uri | string | FetchFromEventArgs | undefined;

/** Event text and where it came from. */
export interface EventSource {
  text: string;
  uri?: vscode.Uri;
  label: string;
}

const jsonLanguages = new Set(['json', 'jsonc']);

function isJsonDocument(doc: vscode.TextDocument): boolean {
  return jsonLanguages.has(doc.languageId) || doc.uri.path.toLowerCase().endsWith('.json');
}

function labelOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

async function readSource(uri: vscode.Uri): Promise<EventSource> {
  // The open document (with unsaved edits) when there is one, else the file.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    return { text: open.getText(), uri, label: labelOf(uri) };
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { text: new TextDecoder().decode(bytes), uri, label: labelOf(uri) };
}

function toUri(value: string | vscode.Uri): vscode.Uri {
  return typeof value === 'string' ? (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value)) : value;
}

/** The event text(s): argument, else the selection, the active JSON document, JSON on the clipboard, an input box. */
export async function eventSources(arg: FetchArg, selection?: vscode.Uri[]): Promise<EventSource[]> {
  if (arg instanceof vscode.Uri) {
    const uris = selection && selection.length > 1 ? selection : [arg];
    return Promise.all(uris.map(readSource));
  }
  if (typeof arg === 'string') {
    return [{ text: arg, label: 'the given text' }];
  }
  if (arg?.text !== undefined) {
    return [{ text: arg.text, label: 'the given text', uri: arg.uri ? toUri(arg.uri) : undefined }];
  }
  if (arg?.uri) {
    return [await readSource(toUri(arg.uri))];
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && !editor.selection.isEmpty) {
    return [{ text: editor.document.getText(editor.selection), uri: editor.document.uri, label: `the selection in ${labelOf(editor.document.uri)}` }];
  }
  if (editor && isJsonDocument(editor.document)) {
    return [{ text: editor.document.getText(), uri: editor.document.uri, label: labelOf(editor.document.uri) }];
  }
  const clipboard = await vscode.env.clipboard.readText();
  if (clipboard.trim() !== '') {
    const found = referencesFromText(clipboard);
    if (found.ok && found.references.length > 0) {
      return [{ text: clipboard, label: 'the clipboard' }];
    }
  }
  const pasted = await vscode.window.showInputBox({
    title: 'Fetch File from Event JSON',
    prompt: 'Paste an event JSON (Klavi, VoiceBase, S3 notification, SNS, EventBridge) or a presigned URL',
    placeHolder: '{"eventId": "…", "payload": {"presignedUrl": "https://…"}}',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') {
        return undefined;
      }
      const found = referencesFromText(text);
      if (!found.ok) {
        return found.error.message;
      }
      return found.references.length === 0 ? 'This JSON points at no file.' : undefined;
    },
  });
  return pasted && pasted.trim() !== '' ? [{ text: pasted, label: 'the pasted JSON' }] : [];
}
