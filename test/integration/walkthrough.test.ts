import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds, WalkthroughIds } from '../../src/commandIds';
import { activateS3Hooks, s3HooksManifest } from './extensionUnderTest';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  completionEvents?: string[];
  media: { markdown?: string; image?: unknown };
}

describe('Getting Started walkthrough (in VS Code)', () => {
  const manifest = () =>
    s3HooksManifest() as unknown as { contributes: { walkthroughs: { id: string; steps: WalkthroughStep[] }[] } };

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('every command a step links to or completes on is registered (S3 Hooks\' own and VS Code\'s)', async () => {
    await activateS3Hooks();
    const registered = new Set(await vscode.commands.getCommands(false));
    const walkthrough = manifest().contributes.walkthroughs.find((w) => w.id === WalkthroughIds.gettingStarted);
    assert.ok(walkthrough, 'package.json declares no s3Hooks.gettingStarted walkthrough');
    for (const step of walkthrough.steps) {
      const linked = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
      const completing = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.ok(linked.length > 0, `step ${step.id} has no button`);
      assert.ok(completing.length > 0 || (step.completionEvents ?? []).length > 0, `step ${step.id} never completes`);
      for (const command of [...linked, ...completing]) {
        assert.ok(registered.has(command), `step ${step.id} refers to ${command}, which is not registered`);
      }
    }
  });

  it('"S3 Hooks: Open Getting Started" opens the walkthrough in an editor tab', async () => {
    await activateS3Hooks();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(CommandIds.openGettingStarted);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const deadline = Date.now() + 10_000;
    while (!tabs().some((t) => t.label === 'Welcome') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(tabs().some((t) => t.label === 'Welcome' && t.isActive), `tabs: ${tabs().map((t) => t.label).join(', ')}`);
    // With a step: the same editor, no error.
    await vscode.commands.executeCommand(CommandIds.openGettingStarted, { step: 'listener' });
    assert.equal(tabs().filter((t) => t.label === 'Welcome').length, 1);
  });
});
