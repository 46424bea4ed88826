import * as vscode from 'vscode';
import { extensionId } from '../api';
import { CommandIds, WalkthroughIds } from '../commandIds';
import { readStoredKeys } from '../ui/s3Connection';
import { readSetting, SettingKeys, SettingsSection } from '../settings';

/** The Getting Started walkthrough as `workbench.action.openWalkthrough` names it: `<publisher>.<name>#<id>`. */
export const gettingStartedWalkthrough = `${extensionId}#${WalkthroughIds.gettingStarted}`;

/** Context key: true while an S3 endpoint, an AWS profile or stored access keys are configured. */
export const s3ConfiguredContextKey = 's3Hooks.s3Configured';

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
  // The "Connect to your S3" step completes on the s3Hooks.s3Configured context key too: S3 already set up
  // (an endpoint, a profile, or stored keys, as `npm start` does) is as done as setting it up now.
  const updateS3Configured = async () => {
    const configured = !!(readSetting<string>(SettingKeys.s3Endpoint) || readSetting<string>(SettingKeys.awsProfile) || (await readStoredKeys(context.secrets)));
    await vscode.commands.executeCommand('setContext', s3ConfiguredContextKey, configured);
  };
  void updateS3Configured();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SettingsSection)) {
        void updateS3Configured();
      }
    }),
    context.secrets.onDidChange(() => void updateS3Configured()),
  );
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
