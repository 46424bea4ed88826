import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { findPutUrls } from '../core/presign/callbackDocument';
import { putLensTitle } from '../core/presign/callbackProblems';
import { deliveryFormats, knownContentTypes } from '../core/presign/contentTypes';
import { testPresignedPut, type TestUploadResult } from '../core/presign/testUpload';
import { uploadHeadersFromJson, uploadHeadersFromUrl, urlAtOffset, type UploadHeaders } from '../core/presign/uploadTarget';
import { redactUrl } from '../core/redact';
import { inspectPresignedUrl, isPresignedUrl } from '../core/url/presignedUrl';

/** A presigned PUT URL and the headers it was signed for. */
export interface UploadToTest {
  url: string;
  headers: Record<string, string>;
}

/** The argument form of `S3 Hooks: Test Presigned PUT URL`: no questions, no confirmation. */
export interface TestPresignedPutArgs {
  url: string;
  /** The headers to send; default: the Content-Type implied by the key's extension, or none when none is signed. */
  headers?: Record<string, string>;
  /** Shorthand for `headers: { 'Content-Type': … }`. */
  contentType?: string;
}

function where(url: string): string {
  const info = inspectPresignedUrl(url);
  return info?.bucket && info.key ? `s3://${info.bucket}/${info.key}` : redactUrl(url);
}

function logResult(log: vscode.LogOutputChannel, url: string, result: TestUploadResult): void {
  const line = `Test upload to ${redactUrl(url)} with ${JSON.stringify(result.sentHeaders)}: ${result.outcome}. ${result.message}`;
  if (result.outcome === 'accepted') {
    log.info(line);
  } else {
    log.warn(line);
  }
}

async function showResult(result: TestUploadResult): Promise<void> {
  if (result.outcome === 'accepted') {
    void vscode.window.showInformationMessage(result.message);
    return;
  }
  const show = 'Show Log';
  const notify = result.outcome === 'expired' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  if ((await notify(result.message, show)) === show) {
    await vscode.commands.executeCommand(CommandIds.showLog);
  }
}

/**
 * The URL to test: the selection or the URL under the cursor in the editor of
 * `uri` (the right-clicked document) or the active editor; else, in a document
 * with presigned PUT URLs, the one the user picks; else one the user pastes.
 */
async function urlFromEditorOrInput(uri?: vscode.Uri): Promise<{ url: string; document?: vscode.TextDocument } | undefined> {
  const editor = uri
    ? [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find((e) => e?.document.uri.toString() === uri.toString())
    : vscode.window.activeTextEditor;
  const document = editor?.document ?? (uri ? await vscode.workspace.openTextDocument(uri) : undefined);
  if (editor) {
    const selected = editor.document.getText(editor.selection).trim().replace(/^["']|["']$/g, '');
    if (selected && isPresignedUrl(selected)) {
      return { url: selected, document: editor.document };
    }
    const offset = editor.document.offsetAt(editor.selection.active);
    const atCursor = urlAtOffset(editor.document.getText(), offset);
    if (atCursor && isPresignedUrl(atCursor)) {
      return { url: atCursor, document: editor.document };
    }
  }
  const sites = document ? findPutUrls(document.getText()) : [];
  if (document && sites.length > 0) {
    const now = new Date();
    const picked = await vscode.window.showQuickPick(
      sites.map((site) => ({ label: site.label, description: `s3://${site.info.bucket ?? '?'}/${site.info.key ?? '?'}`, detail: putLensTitle(site, now), site })),
      { title: 'S3 Hooks: Test Presigned PUT URL', placeHolder: 'Which URL of the document?', ignoreFocusOut: true },
    );
    return picked ? { url: picked.site.url, document } : undefined;
  }
  const pasted = await vscode.window.showInputBox({
    title: 'S3 Hooks: Test Presigned PUT URL',
    prompt: 'Paste a presigned PUT URL (or put the cursor on one in an editor and run the command again).',
    placeHolder: 'https://bucket.s3.region.amazonaws.com/key?X-Amz-Algorithm=…&X-Amz-Signature=…',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || isPresignedUrl(v) ? undefined : 'This is not a presigned S3 URL: it has no X-Amz-Signature (or Signature and Expires).'),
  });
  return pasted?.trim() ? { url: pasted.trim() } : undefined;
}

/** Asks which Content-Type the URL was signed for, offering the table's types with a guess first. */
async function askContentType(guess: string | undefined): Promise<UploadHeaders | undefined> {
  type Item = vscode.QuickPickItem & { value?: string };
  const types = knownContentTypes();
  const items: Item[] = types.map((t) => ({
    label: t,
    value: t,
    description: deliveryFormats.filter((f) => f.contentType === t).map((f) => f.label).join(', '),
  }));
  items.push({ label: 'Other…', description: 'type a Content-Type' });
  if (guess) {
    items.sort((a, b) => Number(b.value === guess) - Number(a.value === guess));
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'S3 Hooks: Test Presigned PUT URL',
    placeHolder: 'The URL signs a Content-Type: which one? (A wrong one gets 403 SignatureDoesNotMatch.)',
    ignoreFocusOut: true,
  });
  if (!picked) {
    return undefined;
  }
  const value = picked.value ?? (await vscode.window.showInputBox({ prompt: 'Content-Type the URL was signed for', ignoreFocusOut: true }))?.trim();
  return value ? { headers: { 'Content-Type': value }, source: 'headers', explanation: 'your choice' } : undefined;
}

async function confirmUpload(count: number, target: string): Promise<boolean> {
  const upload = 'Upload Sample';
  const detail =
    count === 1
      ? `A small sample file will be uploaded to ${target}, replacing whatever is stored at that key. Test before handing the URL over, not after the vendor has delivered.`
      : `A small sample file will be uploaded to each of the ${count} URLs, replacing whatever is stored at their keys.`;
  return (await vscode.window.showWarningMessage('Test the presigned PUT URL with a real upload?', { modal: true, detail }, upload)) === upload;
}

/** Runs the test uploads of a presign result after one confirmation, and reports them together. */
export async function testUploadsInteractively(uploads: readonly UploadToTest[], log: vscode.LogOutputChannel): Promise<void> {
  if (!(await confirmUpload(uploads.length, uploads.length === 1 ? where(uploads[0].url) : ''))) {
    return;
  }
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'S3 Hooks: uploading samples…' },
    () => Promise.all(uploads.map(async (u) => ({ u, result: await testPresignedPut({ url: u.url, headers: u.headers }) }))),
  );
  for (const { u, result } of results) {
    logResult(log, u.url, result);
  }
  const failed = results.filter((r) => r.result.outcome !== 'accepted');
  if (results.length === 1 || failed.length > 0) {
    for (const r of failed.length > 0 ? failed : results) {
      await showResult(r.result);
    }
  } else {
    void vscode.window.showInformationMessage(`S3 accepted all ${results.length} test uploads: every URL works with its Content-Type.`);
  }
}

/**
 * `S3 Hooks: Test Presigned PUT URL`: uploads a small sample to the URL under
 * the cursor (or selected, or pasted) with exactly the headers it was signed
 * for (from the JSON around it, the key's extension, or the user), and reports
 * S3's answer in plain words.
 */
export async function testPresignedPutCommand(log: vscode.LogOutputChannel, arg?: TestPresignedPutArgs | vscode.Uri): Promise<TestUploadResult | undefined> {
  // The editor's context menu passes the document's Uri; the palette nothing; callers and lenses an object.
  const args = arg && !(arg instanceof vscode.Uri) && typeof arg.url === 'string' ? arg : undefined;
  if (args) {
    const headers = args.headers ?? (args.contentType ? { 'Content-Type': args.contentType } : uploadHeadersFromUrl(args.url)?.headers);
    const result = await testPresignedPut({ url: args.url, headers });
    logResult(log, args.url, result);
    void showResult(result);
    return result;
  }
  const target = await urlFromEditorOrInput(arg instanceof vscode.Uri ? arg : undefined);
  if (!target) {
    return undefined;
  }
  const fromJson = target.document ? uploadHeadersFromJson(target.document.getText(), target.url) : undefined;
  const fromUrl = uploadHeadersFromUrl(target.url);
  const chosen = fromJson ?? (fromUrl?.source === 'none' ? fromUrl : undefined) ?? (await askContentType(fromUrl?.headers['Content-Type']));
  if (!chosen) {
    return undefined;
  }
  if (!(await confirmUpload(1, where(target.url)))) {
    return undefined;
  }
  log.info(`Testing ${redactUrl(target.url)} with headers from ${chosen.explanation ?? chosen.source}.`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `S3 Hooks: uploading a sample to ${where(target.url)}…` },
    () => testPresignedPut({ url: target.url, headers: chosen.headers }),
  );
  logResult(log, target.url, result);
  await showResult(result);
  return result;
}
