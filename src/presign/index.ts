import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { CreateCallbackJsonArgs, CreatePresignedPutArgs } from '../core/presign/commandArgs';
import { createCallbackJson } from './createCallbackJsonCommand';
import { createPresignedPut } from './createPresignedPutCommand';
import { LastAnswersStore } from './lastAnswers';
import { PresignSigner } from './presignSigner';
import { testPresignedPutCommand, type TestPresignedPutArgs } from './testUploadCommand';

/**
 * Presigned PUT callbacks: `Create Presigned PUT URL`, `Create Callback JSON…`
 * and `Test Presigned PUT URL`. Each accepts an argument object instead of
 * asking (tests, keybindings, other extensions).
 */
export function registerPresign(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const signer = new PresignSigner(context.secrets, log);
  const answers = new LastAnswersStore(context.workspaceState);
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.createPresignedPutUrl, (args?: CreatePresignedPutArgs) => createPresignedPut(signer, answers, args)),
    vscode.commands.registerCommand(CommandIds.createCallbackJson, (args?: CreateCallbackJsonArgs) => createCallbackJson(signer, answers, args)),
    vscode.commands.registerCommand(CommandIds.testPresignedPutUrl, (args?: TestPresignedPutArgs) => testPresignedPutCommand(log, args)),
  );
}
