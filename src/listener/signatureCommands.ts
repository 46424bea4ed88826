import * as vscode from 'vscode';
import { confirmationAnswer, readGivenSignature } from '../core/confirmation/answer';
import { confirmationSignature, verifyConfirmationSignature, type ConfirmationRequestFields } from '../core/confirmation/signature';
import { parseEventJson } from '../core/events';
import { readVkConfirmation } from '../core/events/shapes';
import { readSetting, SettingKeys } from '../settings';

/** Arguments for automation: anything given is not asked for. */
export interface SignatureArgs {
  /** The URL exactly as registered with the provider. */
  url?: string;
  /** A confirmation JSON document (text). */
  json?: string;
  /** The fields themselves. */
  fields?: ConfirmationRequestFields;
  /** Verify only: the signature to check (hex, or `{"signature":"…"}`). */
  signature?: string;
}

const lastUrlKey = 's3Hooks.confirmation.lastUrl';

/** Fields from a text that holds a confirmation JSON, or undefined (with why) when it does not. */
function fieldsFromText(text: string): { fields?: ConfirmationRequestFields; problem?: string } {
  const parsed = parseEventJson(text);
  if (!parsed.ok) {
    return { problem: parsed.error.message };
  }
  const fields = readVkConfirmation(parsed.value);
  return 'fields' in fields ? { fields: fields.fields } : { problem: `It has no string ${fields.missing.join(', ')}.` };
}

/** The confirmation: from the arguments, the selection, the active JSON document, else asked field by field. */
async function confirmationFields(args: SignatureArgs): Promise<ConfirmationRequestFields | undefined> {
  if (args.fields) {
    return args.fields;
  }
  if (args.json !== undefined) {
    const { fields, problem } = fieldsFromText(args.json);
    if (!fields) {
      throw new Error(`The given JSON is not a subscription confirmation: ${problem}`);
    }
    return fields;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const selected = editor.selection.isEmpty ? '' : editor.document.getText(editor.selection);
    for (const text of [selected, editor.document.languageId.startsWith('json') ? editor.document.getText() : '']) {
      if (text.trim()) {
        const { fields } = fieldsFromText(text);
        if (fields) {
          return fields;
        }
      }
    }
  }
  const ask = (title: string, prompt: string): Thenable<string | undefined> =>
    vscode.window.showInputBox({ title, prompt, ignoreFocusOut: true, validateInput: (v) => (v === '' ? 'Required' : undefined) });
  const topicArn = await ask('TopicArn (1/3)', 'TopicArn of the confirmation, exactly as sent, e.g. mcs00000000|test|s3:ObjectCreated:Put');
  if (topicArn === undefined) {
    return undefined;
  }
  const timestamp = await ask('Timestamp (2/3)', 'Timestamp of the confirmation, exactly as sent, e.g. 2021-04-22T16:48:37+03:00');
  if (timestamp === undefined) {
    return undefined;
  }
  const token = await ask('Token (3/3)', 'Token of the confirmation');
  return token === undefined ? undefined : { topicArn, timestamp, token };
}

async function registeredUrl(context: vscode.ExtensionContext, args: SignatureArgs): Promise<string | undefined> {
  if (args.url !== undefined) {
    return args.url;
  }
  const value = readSetting<string>(SettingKeys.listenerPublicUrl) || context.workspaceState.get<string>(lastUrlKey) || 'https://';
  const url = await vscode.window.showInputBox({
    title: 'Registered URL',
    prompt: "The URL exactly as registered in the bucket's webhook configuration (scheme, host, path, trailing slash all count).",
    value,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Required' : undefined),
  });
  if (url !== undefined) {
    await context.workspaceState.update(lastUrlKey, url);
  }
  return url;
}

/** The confirmation's fields and the registered URL, asked for where not given; undefined when the user cancels. */
async function signatureInputs(context: vscode.ExtensionContext, args: SignatureArgs) {
  const fields = await confirmationFields(args);
  if (!fields) {
    return undefined;
  }
  const url = await registeredUrl(context, args);
  return url === undefined ? undefined : { fields, url };
}

/**
 * `S3 Hooks: Compute Confirmation Signature`: shows and copies
 * `{"signature":"…"}` for a VK Cloud / LinxCloud / Hotbox confirmation.
 * Resolves to that answer body.
 */
export async function computeSignatureCommand(context: vscode.ExtensionContext, args: SignatureArgs = {}): Promise<string | undefined> {
  const inputs = await signatureInputs(context, args);
  if (!inputs) {
    return undefined;
  }
  const { fields, url } = inputs;
  const answer = confirmationAnswer(confirmationSignature({ ...fields, url }));
  // The answer is shown before copying: in a browser-hosted VS Code the clipboard can refuse or wait
  // (no focus, no permission), and the user must see the answer either way.
  void vscode.window.showInformationMessage(`Answer for ${url} (copied to the clipboard): ${answer}`);
  await vscode.env.clipboard.writeText(answer);
  return answer;
}

/** `S3 Hooks: Verify Confirmation Signature`: resolves to whether the signature matches. */
export async function verifySignatureCommand(context: vscode.ExtensionContext, args: SignatureArgs = {}): Promise<boolean | undefined> {
  const inputs = await signatureInputs(context, args);
  if (!inputs) {
    return undefined;
  }
  const { fields, url } = inputs;
  const given =
    args.signature ??
    (await vscode.window.showInputBox({
      title: 'Signature to check',
      prompt: '64 hex characters, or the answer body {"signature":"…"}',
      ignoreFocusOut: true,
    }));
  if (given === undefined) {
    return undefined;
  }
  const read = readGivenSignature(given);
  if (!read.ok) {
    void vscode.window.showWarningMessage(`${read.problem}. Paste 64 hex characters, or the answer body {"signature":"…"}.`);
    return false;
  }
  const ok = verifyConfirmationSignature({ ...fields, url }, read.signature);
  if (ok) {
    void vscode.window.showInformationMessage(`The signature matches for ${url}.`);
  } else {
    void vscode.window.showWarningMessage(
      `The signature does not match for ${url}: it would be ${confirmationSignature({ ...fields, url })}. Check that the URL is exactly the registered one.`,
    );
  }
  return ok;
}
