import * as vscode from 'vscode';
import { expiryArgument } from '../core/presign/commandArgs';
import { formatInstant } from '../core/presign/expiry';
import { loadObjectPresigner } from '../core/presign/loadPresigner';
import { redactUrl, redactUrlsInText } from '../core/redact';
import { bucketNameProblem, objectKeyProblem } from '../core/s3/names';
import { s3ConnectionFor } from '../ui/s3Connection';
import { presignDefaults, presignScope } from './flowState';
import { errorText } from '../core/errorText';

/** The argument form of `S3 Hooks: Create Presigned GET URL` and `Copy Presigned GET URL`: also any tree item with bucket and key. */
export interface PresignedGetArgs {
  bucket?: string;
  key?: string;
  expiresIn?: number | string;
  contentDisposition?: string;
}

/** The argument form of `S3 Hooks: Create Presigned POST Form`. */
export interface PresignedPostArgs {
  bucket?: string;
  key?: string;
  contentType?: string;
  maxSize?: number;
  expiresIn?: number | string;
}

async function ask(title: string, prompt: string, value: string, problem: (v: string) => string | undefined): Promise<string | undefined> {
  return (await vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: (v) => problem(v.trim()) }))?.trim();
}

function failWith(log: vscode.LogOutputChannel, what: string, err: unknown): undefined {
  const message = redactUrlsInText(errorText(err));
  log.error(`${what} failed: ${message}`);
  void vscode.window.showErrorMessage(`${what}: ${message}`);
  return undefined;
}

/** Presigned GET and POST: share a result, or let someone upload through a size-capped form. */
export function presignObjectCommands(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel) {
  const connection = () => s3ConnectionFor(secrets, presignScope());
  return {
    /**
     * `Create Presigned GET URL` (asks bucket and key) and `Copy Presigned GET URL` (on a delivered
     * callback or a Recent Downloads item, which carry bucket and key): copies the URL, resolves to it.
     */
    async createGet(args?: PresignedGetArgs): Promise<string | undefined> {
      const title = 'S3 Hooks: Create Presigned GET URL';
      const bucket = args?.bucket ?? (await ask(title, 'Bucket of the object to share', presignDefaults().bucket, bucketNameProblem));
      const key = bucket === undefined ? undefined : (args?.key ?? (await ask(title, 'Object key', '', objectKeyProblem)));
      if (bucket === undefined || key === undefined) {
        return undefined;
      }
      try {
        const get = await loadObjectPresigner().presignGet(await connection(), {
          bucket,
          key,
          expiresIn: expiryArgument(args?.expiresIn, presignDefaults().expiresIn),
          contentDisposition: args?.contentDisposition,
        });
        await vscode.env.clipboard.writeText(get.url);
        log.info(`Presigned GET for s3://${bucket}/${key}, valid until ${formatInstant(get.expiresAt)}: ${redactUrl(get.url)}`);
        for (const w of get.warnings) {
          void vscode.window.showWarningMessage(w.message);
        }
        void vscode.window.showInformationMessage(`Presigned GET URL for s3://${bucket}/${key} copied to the clipboard (valid until ${formatInstant(get.expiresAt)}).`);
        return get.url;
      } catch (err) {
        return failWith(log, `Presigned GET URL for s3://${bucket}/${key}`, err);
      }
    },

    /** `Create Presigned POST Form`: opens `{ url, fields }` (as the SDK returns it) with a curl command beside it. */
    async createPost(args?: PresignedPostArgs): Promise<{ url: string; fields: Record<string, string>; curl: string } | undefined> {
      const title = 'S3 Hooks: Create Presigned POST Form';
      const bucket = args?.bucket ?? (await ask(title, 'Bucket the form uploads into', presignDefaults().bucket, bucketNameProblem));
      const key = bucket === undefined ? undefined : (args?.key ?? (await ask(title, 'Object key (ending in ${filename} takes the uploaded file\'s name)', '', objectKeyProblem)));
      if (bucket === undefined || key === undefined) {
        return undefined;
      }
      let maxSize = args?.maxSize;
      if (!args) {
        const text = await ask(title, 'Largest upload S3 accepts, in bytes (content-length-range); empty for no cap', '104857600', (v) =>
          v === '' || (Number.isSafeInteger(Number(v)) && Number(v) > 0) ? undefined : 'A whole number of bytes, at least 1.',
        );
        if (text === undefined) {
          return undefined;
        }
        maxSize = text === '' ? undefined : Number(text);
      }
      try {
        const presigner = loadObjectPresigner();
        const post = await presigner.presignPost(await connection(), {
          bucket,
          key,
          contentType: args?.contentType,
          maxSize,
          expiresIn: expiryArgument(args?.expiresIn, presignDefaults().expiresIn),
        });
        const curl = presigner.postCurlCommand(post, key.split('/').pop()?.replace('${filename}', 'result.json'));
        const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify({ url: post.url, fields: post.fields }, null, 2)}\n` });
        await vscode.window.showTextDocument(doc, { preview: false });
        log.info(`Presigned POST form for s3://${bucket}/${key}${maxSize ? ` (up to ${maxSize} bytes)` : ''}, valid until ${formatInstant(post.expiresAt)}.`);
        for (const w of post.warnings) {
          void vscode.window.showWarningMessage(w.message);
        }
        void vscode.window.showInformationMessage(`Presigned POST form for s3://${bucket}/${key}, valid until ${formatInstant(post.expiresAt)}.`, 'Copy curl Command').then(async (choice) => {
          if (choice) {
            await vscode.env.clipboard.writeText(curl);
          }
        });
        return { url: post.url, fields: post.fields, curl };
      } catch (err) {
        return failWith(log, `Presigned POST form for s3://${bucket}/${key}`, err);
      }
    },
  };
}
