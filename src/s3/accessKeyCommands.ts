import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { MultiStepInput } from '../ui/multiStepInput';
import { readStoredKeys, storeKeys } from '../ui/s3Connection';

/** The argument form of `S3 Hooks: Set S3 Access Keys…` (tests, keybindings, other extensions). */
export interface SetAccessKeysArgs {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function accessKeyIdProblem(id: string): string | undefined {
  if (id.trim() === '') {
    return 'Enter the access key id.';
  }
  return /^[A-Za-z0-9+/=_-]{3,128}$/.test(id) ? undefined : 'An access key id is 3 to 128 letters and digits, without spaces.';
}

function secretProblem(secret: string): string | undefined {
  if (secret === '') {
    return 'Enter the secret access key.';
  }
  return /\s/.test(secret) ? 'The secret contains a space or line break: paste it again.' : undefined;
}

/** `AKIA…WXYZ`: enough to recognise a key in a log, not enough to use it. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

async function askForKeys(): Promise<SetAccessKeysArgs | undefined> {
  const title = 'S3 Hooks: Set S3 Access Keys';
  const answers: Partial<SetAccessKeysArgs> = {};
  const error = (message: string | undefined) => (message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined);
  const done = await MultiStepInput.run(async (input) => {
    answers.accessKeyId = (
      await input.text({
        title,
        step: 1,
        totalSteps: 3,
        value: answers.accessKeyId ?? '',
        prompt: 'Access key id of the S3 (or S3-compatible) account. Stored in VS Code\'s secret storage, never in settings.',
        placeholder: 'AKIA… or the key id your S3-compatible service gave you',
        validate: (v) => error(accessKeyIdProblem(v.trim())),
      })
    ).trim();
    return async (input2) => {
      answers.secretAccessKey = await input2.text({
        title,
        step: 2,
        totalSteps: 3,
        value: '',
        prompt: 'Secret access key (hidden as you type).',
        validate: (v) => error(secretProblem(v)),
        password: true,
      });
      return async (input3) => {
        answers.sessionToken =
          (await input3.text({
            title,
            step: 3,
            totalSteps: 3,
            value: '',
            prompt: 'Session token, only for temporary credentials; leave empty for long-lived keys. (URLs signed with temporary credentials die when they expire.)',
            password: true,
          })) || undefined;
      };
    };
  });
  return done && answers.accessKeyId && answers.secretAccessKey ? (answers as SetAccessKeysArgs) : undefined;
}

/**
 * Registers `S3 Hooks: Set S3 Access Keys…` and `S3 Hooks: Clear S3 Access
 * Keys`: keys for S3-compatible services that are not in an AWS profile live
 * in VS Code's SecretStorage, never in settings.json, and take precedence over
 * the AWS credential chain.
 */
export function registerAccessKeyCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.setAccessKeys, async (args?: SetAccessKeysArgs): Promise<boolean> => {
      const keys = args ?? (await askForKeys());
      if (!keys) {
        return false;
      }
      const problem = accessKeyIdProblem(keys.accessKeyId ?? '') ?? secretProblem(keys.secretAccessKey ?? '');
      if (problem) {
        void vscode.window.showErrorMessage(`S3 access keys not saved: ${problem}`);
        return false;
      }
      await storeKeys(context.secrets, {
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
        ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
      });
      log.info(`S3 access keys saved in secret storage (key id ${maskKeyId(keys.accessKeyId)}${keys.sessionToken ? ', with a session token' : ''}).`);
      if (!args) {
        void vscode.window.showInformationMessage(
          `S3 access keys saved in VS Code's secret storage (key id ${maskKeyId(keys.accessKeyId)}). S3 Hooks uses them instead of the AWS credential chain until you run "S3 Hooks: Clear S3 Access Keys".`,
        );
      }
      return true;
    }),
    vscode.commands.registerCommand(CommandIds.clearAccessKeys, async (): Promise<boolean> => {
      const stored = await readStoredKeys(context.secrets);
      if (!stored) {
        void vscode.window.showInformationMessage('No S3 access keys are stored; S3 Hooks uses the AWS credential chain.');
        return false;
      }
      await storeKeys(context.secrets, undefined);
      log.info(`S3 access keys cleared (key id ${maskKeyId(stored.accessKeyId)}); using the AWS credential chain.`);
      void vscode.window.showInformationMessage('S3 access keys cleared. S3 Hooks now uses the AWS credential chain (settings s3Hooks.aws.profile, AWS_PROFILE, environment, SSO).');
      return true;
    }),
  );
}
