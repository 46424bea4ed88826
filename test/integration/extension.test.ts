import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { activateS3Hooks, s3HooksManifest } from './extensionUnderTest';

describe('S3 Hooks in a real VS Code', () => {
  it('activates and reports how long activation took', async () => {
    const { api, wallMs } = await activateS3Hooks();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0 && api.activationMs < 10_000, `activationMs = ${api.activationMs}`);
    const wall = wallMs === undefined ? 'n/a (an earlier test file activated it)' : `${wallMs.toFixed(1)} ms`;
    console.log(`      activation: ${api.activationMs.toFixed(1)} ms inside activate(); wall time of activate(): ${wall}`);
  });

  it('registers every command that package.json contributes', async () => {
    await activateS3Hooks();
    const contributed = s3HooksManifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.equal(missing.length, 0, `contributed in package.json but not registered: ${missing.join(', ')}`);
  });

  it('runs S3 Hooks: Show Log, which shows the S3 Hooks output channel', async () => {
    await activateS3Hooks();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand(CommandIds.showLog);
    // The Output view's editor shows the channel: output:<extension id>.<channel name>.log
    const shown = () =>
      vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'output' && e.document.uri.path.includes('S3 Hooks'));
    const deadline = Date.now() + 10_000;
    while (!shown() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(shown(), `no S3 Hooks output visible; visible editors: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ')}`);
  });
});
