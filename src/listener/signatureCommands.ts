import * as vscode from 'vscode';
import { confirmationAnswer, readGivenSignature } from '../core/confirmation/answer';
import { confirmationSignature, verifyConfirmationSignature, type ConfirmationRequestFields } from '../core/confirmation/signature';
import { parseEventJson } from '../core/events';
import { readVkConfirmation } from '../core/events/shapes';
import { readSetting, SettingKeys } from '../settings';
import { MultiStepInput, type InputStep } from '../ui/multiStepInput';

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

/** The confirmation from the arguments, the selection or the active JSON document, when one holds it. */
function givenFields(args: SignatureArgs): ConfirmationRequestFields | undefined {
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
  return undefined;
}

/** One text the flow asks for, and where its answer goes. */
interface Question {
  title: string;
  prompt: string;
  value?: string;
  answer: (value: string) => void;
}

/**
 * Asks the questions in one multi-step input (numbered from what is still missing, with Back);
 * resolves to false when the user cancels.
 */
function ask(questions: Question[]): Promise<boolean> {
  const stepAt =
    (index: number): InputStep =>
    async (input) => {
      const question = questions[index];
      const value = await input.text({
        title: question.title,
        step: index + 1,
        totalSteps: questions.length,
        prompt: question.prompt,
        value: question.value ?? '',
        required: true,
      });
      question.answer(value);
      return index + 1 < questions.length ? stepAt(index + 1) : undefined;
    };
  return questions.length === 0 ? Promise.resolve(true) : MultiStepInput.run(stepAt(0));
}

interface SignatureInputs {
  fields: ConfirmationRequestFields;
  /** The URL exactly as registered with the provider. */
  url: string;
  /** Verify only: the signature to check, as given (hex, or the answer body). */
  signature?: string;
}

/**
 * The confirmation's fields, the registered URL and (for Verify) the signature: what the
 * arguments, the selection or the active document do not give is asked for. Undefined when the
 * user cancels.
 */
async function signatureInputs(
  context: vscode.ExtensionContext,
  args: SignatureArgs,
  withSignature: boolean,
): Promise<SignatureInputs | undefined> {
  const given = givenFields(args);
  const fields: ConfirmationRequestFields = { topicArn: '', timestamp: '', token: '', ...given };
  let url = args.url ?? '';
  let signature = args.signature;
  const questions: Question[] = [];
  if (!given) {
    questions.push(
      {
        title: 'TopicArn',
        prompt: 'TopicArn of the confirmation, exactly as sent, e.g. mcs00000000|test|s3:ObjectCreated:Put',
        answer: (v) => (fields.topicArn = v),
      },
      {
        title: 'Timestamp',
        prompt: 'Timestamp of the confirmation, exactly as sent, e.g. 2021-04-22T16:48:37+03:00',
        answer: (v) => (fields.timestamp = v),
      },
      { title: 'Token', prompt: 'Token of the confirmation', answer: (v) => (fields.token = v) },
    );
  }
  if (args.url === undefined) {
    questions.push({
      title: 'Registered URL',
      prompt: "The URL exactly as registered in the bucket's webhook configuration (scheme, host, path, trailing slash all count).",
      value: readSetting<string>(SettingKeys.listenerPublicUrl) || context.workspaceState.get<string>(lastUrlKey) || 'https://',
      answer: (v) => (url = v),
    });
  }
  if (withSignature && signature === undefined) {
    questions.push({ title: 'Signature to check', prompt: '64 hex characters, or the answer body {"signature":"…"}', answer: (v) => (signature = v) });
  }
  if (!(await ask(questions))) {
    return undefined;
  }
  if (args.url === undefined) {
    await context.workspaceState.update(lastUrlKey, url);
  }
  return { fields, url, signature };
}

/**
 * `S3 Hooks: Compute Confirmation Signature`: shows and copies
 * `{"signature":"…"}` for a VK Cloud / LinxCloud / Hotbox confirmation.
 * Resolves to that answer body.
 */
export async function computeSignatureCommand(context: vscode.ExtensionContext, args: SignatureArgs = {}): Promise<string | undefined> {
  const inputs = await signatureInputs(context, args, false);
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
  const inputs = await signatureInputs(context, args, true);
  if (inputs?.signature === undefined) {
    return undefined;
  }
  const { fields, url } = inputs;
  const read = readGivenSignature(inputs.signature);
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
