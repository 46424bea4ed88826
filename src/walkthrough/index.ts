import * as vscode from 'vscode';
import { extensionId } from '../api';
import { CommandIds, WalkthroughIds } from '../commandIds';

/** The Getting Started walkthrough as `workbench.action.openWalkthrough` names it: `<publisher>.<name>#<id>`. */
export const gettingStartedWalkthrough = `${extensionId}#${WalkthroughIds.gettingStarted}`;

/** Arguments of `s3Hooks.openGettingStarted` (for links and keybindings): a step id of the walkthrough to select. */
export interface OpenGettingStartedArgs {
  step?: string;
}

/**
 * `S3 Hooks: Open Getting Started`: opens the walkthrough of
 * package.json `contributes.walkthroughs`, optionally at one step. Its steps
 * complete through their `completionEvents` (running the commands they
 * teach), which VS Code tracks itself.
 */
export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.openGettingStarted, (args?: OpenGettingStartedArgs) =>
      vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        args?.step ? { category: gettingStartedWalkthrough, step: `${gettingStartedWalkthrough}#${args.step}` } : gettingStartedWalkthrough,
        false,
      ),
    ),
  );
}
