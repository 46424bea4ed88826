import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { PresignCommands, type CreateCallbackJsonArgs, type CreatePresignedPutArgs } from './presignCommands';
import { testPresignedPutCommand, type TestPresignedPutArgs } from './testUploadCommand';

/**
 * Presigned PUT callbacks: `Create Presigned PUT URL`, `Create Callback JSON…`
 * and `Test Presigned PUT URL`. Each accepts an argument object instead of
 * asking (tests, keybindings, other extensions).
 */
export function registerPresign(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const commands = new PresignCommands(context, log);
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.createPresignedPutUrl, (args?: CreatePresignedPutArgs) => commands.createPresignedPut(args)),
    vscode.commands.registerCommand(CommandIds.createCallbackJson, (args?: CreateCallbackJsonArgs) => commands.createCallbackJson(args)),
    vscode.commands.registerCommand(CommandIds.testPresignedPutUrl, (args?: TestPresignedPutArgs) => testPresignedPutCommand(log, args)),
  );
}
