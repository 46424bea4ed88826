import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { CreateCallbackJsonArgs, CreatePresignedPutArgs } from '../core/presign/commandArgs';
import { CallbackCodeActions, CallbackCodeLenses, CallbackDiagnostics, callbackDocumentSelector, type CallbackSiteArgs } from './callbackDocuments';
import { createCallbackJson } from './createCallbackJsonCommand';
import { createPresignedPut } from './createPresignedPutCommand';
import { LastAnswersStore } from './lastAnswers';
import { presignObjectCommands, type PresignedGetArgs, type PresignedPostArgs } from './presignObjectCommands';
import { PresignSigner } from './presignSigner';
import { registerResignCommands } from './resignCommands';
import { testPresignedPutCommand, type TestPresignedPutArgs } from './testUploadCommand';

/**
 * Presigned URLs: `Create Presigned PUT URL`, `Create Callback JSON…`, `Test
 * Presigned PUT URL`, presigned GET and POST, and live callback documents
 * (a lens per URL, problems, re-sign fixes). Each command accepts an argument
 * object instead of asking (tests, keybindings, other extensions).
 */
export function registerPresign(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const signer = new PresignSigner(context.secrets, log);
  const answers = new LastAnswersStore(context.workspaceState);
  const resign = registerResignCommands(context.secrets, log);
  const objects = presignObjectCommands(context.secrets, log);
  const lenses = new CallbackCodeLenses();
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.createPresignedPutUrl, (args?: CreatePresignedPutArgs) => createPresignedPut(signer, answers, args)),
    vscode.commands.registerCommand(CommandIds.createCallbackJson, (args?: CreateCallbackJsonArgs) => createCallbackJson(signer, answers, args)),
    vscode.commands.registerCommand(CommandIds.testPresignedPutUrl, (arg?: TestPresignedPutArgs | vscode.Uri) => testPresignedPutCommand(log, arg)),
    vscode.commands.registerCommand(CommandIds.resignPresignedUrl, (args: CallbackSiteArgs) => resign.resignOne(args)),
    vscode.commands.registerCommand(CommandIds.resignExpiredUrls, (uri?: vscode.Uri | string) => resign.resignExpired(uri)),
    vscode.commands.registerCommand(CommandIds.setCallbackMethodPut, (args: CallbackSiteArgs) => resign.setMethodPut(args)),
    vscode.commands.registerCommand(CommandIds.createPresignedGetUrl, (args?: PresignedGetArgs) => objects.createGet(args)),
    // Menus pass a tree item: a delivered callback's node ({ result }) or a Recent Downloads entry (bucket, key).
    vscode.commands.registerCommand(CommandIds.copyPresignedGetUrl, (item?: PresignedGetArgs & { result?: PresignedGetArgs }) => {
      const object = item?.result ?? item;
      if (!object?.bucket || object.key === undefined) {
        void vscode.window.showInformationMessage('This item names no S3 bucket and key: nothing to presign.');
        return undefined;
      }
      return objects.createGet({ bucket: object.bucket, key: object.key });
    }),
    vscode.commands.registerCommand(CommandIds.createPresignedPost, (args?: PresignedPostArgs) => objects.createPost(args)),
    new CallbackDiagnostics(),
    lenses,
    vscode.languages.registerCodeLensProvider(callbackDocumentSelector, lenses),
    vscode.languages.registerCodeActionsProvider(callbackDocumentSelector, new CallbackCodeActions(), CallbackCodeActions.metadata),
  );
}
