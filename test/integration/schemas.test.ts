import * as assert from 'node:assert/strict';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from '../../src/api';
import { activateS3Hooks } from './extensionUnderTest';

/** The built-in extension that runs the JSON language server (validation against jsonValidation schemas). */
const jsonLanguageFeatures = 'vscode.json-language-features';

/** Waits until `done` holds for the diagnostics of `uri`, and returns them (what is there after `timeoutMs` otherwise). */
async function diagnosticsWhen(uri: vscode.Uri, done: (found: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<readonly vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  // The schemas' problems only: S3 Hooks' own callback checks (expiry, Content-Type, method) are tested in callbacks.test.ts.
  const schemaOnly = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'S3 Hooks');
  let found = schemaOnly();
  while (!done(found) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = schemaOnly();
  }
  return found;
}

const describeAll = (document: vscode.TextDocument, found: readonly vscode.Diagnostic[]) =>
  found.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${JSON.stringify(document.getText(d.range))}: ${d.message}`).join('\n') || '(none)';

describe('JSON schemas in the editor (jsonValidation)', () => {
  let workspace: string;
  let fixtures: string;
  const copied: string[] = [];

  /** Copies test/fixtures/schemas/<name> into the workspace (as `as`), opens it in an editor, and returns its document. */
  async function openFixture(name: string, as = name): Promise<vscode.TextDocument> {
    const target = join(workspace, as);
    await copyFile(join(fixtures, name), target);
    copied.push(target);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');
    return document;
  }

  before(async () => {
    await activateS3Hooks();
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    fixtures = join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'test', 'fixtures', 'schemas');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const path of copied) {
      await rm(path, { force: true });
    }
  });

  it('the built-in JSON language features extension is present and active', async () => {
    const json = vscode.extensions.getExtension(jsonLanguageFeatures);
    assert.ok(json, `${jsonLanguageFeatures} is not installed in this VS Code`);
    await json.activate();
    assert.ok(json.isActive);
  });

  it('a broken callback document gets the three expected problems, in S3 Hooks\' words, on the right values', async () => {
    const document = await openFixture('broken.callback.json');
    const expected = [
      { text: '"summary"', message: 'Unknown callback type: use "analytics", "transcript" or "media".' },
      { text: '"srt"', message: '"format" applies only to transcript callbacks.' },
      { text: '"POST"', message: 'A presigned S3 URL accepts only PUT: set "method": "PUT" (the default POST is refused by S3).' },
    ];
    const found = await diagnosticsWhen(document.uri, (d) => d.length >= expected.length);
    const report = describeAll(document, found);
    for (const { text, message } of expected) {
      const match = found.find((d) => d.message === message);
      assert.ok(match, `no diagnostic "${message}"; found:\n${report}`);
      assert.equal(document.getText(match.range), text, `"${message}" is not on ${text}; found:\n${report}`);
      assert.equal(match.severity, vscode.DiagnosticSeverity.Warning, report);
    }
    assert.equal(found.length, expected.length, `unexpected extra diagnostics:\n${report}`);
  });

  it('the valid callback fixture gets no problems, until a value breaks the schema', async () => {
    const document = await openFixture('valid.callback.json');
    // An empty list is also what an unbound schema gives: give the server time, then break the document and see it caught.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const found = await diagnosticsWhen(document.uri, (d) => d.length > 0, 1000);
    assert.deepEqual(found.map((d) => d.message), [], describeAll(document, found));

    const srt = document.getText().indexOf('"srt"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(srt), document.positionAt(srt + '"srt"'.length)), '"mp3"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const broken = await diagnosticsWhen(document.uri, (d) => d.length > 0);
    assert.equal(broken.length, 1, describeAll(document, broken));
    assert.match(broken[0].message, /^Value is not accepted\. Valid values: "json", "text", "webvtt", "srt", "dfxp"\./);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('every jsonValidation file pattern binds its schema (sample names, CLI examples, saved fixtures)', async () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
    };
    for (const { fileMatch, url } of manifest.contributes.jsonValidation) {
      const schema = JSON.parse(await readFile(join(fixtures, '..', '..', '..', url), 'utf8')) as { required: string[] };
      for (const pattern of fileMatch) {
        // `{}` lacks the schema's first required property, so a bound schema reports it.
        const name = pattern.replace('*', 'pattern-check');
        const path = join(workspace, name);
        await writeFile(path, '{}\n');
        copied.push(path);
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
        // The JSON language server validates the documents shown in editors.
        await vscode.window.showTextDocument(document, { preview: true });
        const found = await diagnosticsWhen(document.uri, (d) => d.length > 0);
        assert.ok(
          found.some((d) => d.message === `Missing property "${schema.required[0]}".`),
          `${name} (pattern ${pattern} → ${url}): ${describeAll(document, found)}`,
        );
        await rm(path, { force: true });
      }
    }
  });
});
