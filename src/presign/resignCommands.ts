import * as vscode from 'vscode';
import { findPutUrls, type PutUrlSite } from '../core/presign/callbackDocument';
import { callbackProblems, resignEdits, resignRequest, setMethodPutEdit, type CallbackEdit } from '../core/presign/callbackProblems';
import { loadPresigner } from '../core/presign/loadPresigner';
import { redactUrlsInText } from '../core/redact';
import { s3ConnectionFor } from '../ui/s3Connection';
import type { CallbackSiteArgs } from './callbackDocuments';
import { presignDefaults, presignScope } from './flowState';
import { rememberSignedType, signedTypeOf } from './signedUrls';
import { errorText } from '../core/errorText';

async function documentFor(uri: string | vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri === undefined) {
    return vscode.window.activeTextEditor?.document;
  }
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? vscode.workspace.openTextDocument(target);
}

async function applyEdits(doc: vscode.TextDocument, edits: CallbackEdit[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.text);
  }
  return vscode.workspace.applyEdit(edit);
}

/**
 * Signs the sites' URLs again (same bucket and key, the uploader's
 * Content-Type, their own lifetime) with the configured connection, and puts
 * the new URLs in place in one edit. Resolves to how many were replaced.
 */
async function resign(doc: vscode.TextDocument, sites: PutUrlSite[], secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): Promise<number> {
  const defaults = presignDefaults(presignScope());
  const requests = sites.map((s) => ({ site: s, request: resignRequest(s, defaults.expiresIn) }));
  const unreadable = requests.filter((r) => !r.request);
  if (unreadable.length > 0) {
    void vscode.window.showErrorMessage(`${unreadable[0].site.label}: the URL names no bucket and key that S3 Hooks can read, so it cannot be re-signed. Create it again.`);
  }
  const signable = requests.filter((r): r is { site: PutUrlSite; request: NonNullable<typeof r.request> } => r.request !== undefined);
  if (signable.length === 0) {
    return 0;
  }
  const version = doc.version;
  try {
    const connection = await s3ConnectionFor(secrets, doc.uri.scheme === 'file' ? doc.uri : presignScope());
    const { uploads, warnings } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'S3 Hooks: re-signing…' }, () =>
      loadPresigner().presignPuts(connection, signable.map((s) => s.request)),
    );
    if (doc.version !== version) {
      void vscode.window.showWarningMessage('The document changed while re-signing: nothing was replaced. Run the fix again.');
      return 0;
    }
    signable.forEach((s, i) => rememberSignedType(uploads[i].url, s.request.contentType));
    const edits = signable.flatMap((s, i) => resignEdits(s.site, uploads[i].url, uploads[i].expiresAt));
    if (!(await applyEdits(doc, edits))) {
      return 0;
    }
    for (const s of signable) {
      log.info(`Re-signed ${s.site.label} → s3://${s.request.bucket}/${s.request.key} (${s.request.contentType ?? 'no Content-Type'}, ${s.request.expiresIn} s)`);
    }
    for (const w of warnings) {
      log.warn(w.message);
      void vscode.window.showWarningMessage(w.message);
    }
    return signable.length;
  } catch (err) {
    const message = redactUrlsInText(errorText(err));
    log.error(`Re-signing failed: ${message}`);
    void vscode.window.showErrorMessage(`Could not re-sign: ${message}`);
    return 0;
  }
}

/** The re-sign and method fixes, registered as (hidden) commands the quick fixes run. */
export function registerResignCommands(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel) {
  const siteAt = async (args: CallbackSiteArgs) => {
    const doc = await documentFor(args.uri);
    const site = doc ? findPutUrls(doc.getText(), signedTypeOf).find((s) => s.span.offset === args.offset) : undefined;
    return { doc, site };
  };
  return {
    /** Re-signs the URL at `offset`; resolves to 1 when replaced. */
    async resignOne(args: CallbackSiteArgs): Promise<number> {
      const { doc, site } = await siteAt(args);
      return doc && site ? resign(doc, [site], secrets, log) : 0;
    },
    /** Re-signs every expired URL of a document (the active editor's without an argument). */
    async resignExpired(uri?: vscode.Uri | string): Promise<number> {
      const doc = await documentFor(uri);
      if (!doc) {
        void vscode.window.showInformationMessage('Open a callback document first: Re-sign All Expired URLs works on the JSON in the editor.');
        return 0;
      }
      const now = new Date();
      const expired = findPutUrls(doc.getText(), signedTypeOf).filter((s) => callbackProblems(s, { now }).some((p) => p.code === 'expired'));
      if (expired.length === 0) {
        void vscode.window.showInformationMessage('No expired presigned URL in this document.');
        return 0;
      }
      const count = await resign(doc, expired, secrets, log);
      if (count > 0) {
        void vscode.window.showInformationMessage(`Re-signed ${count} expired presigned URL${count === 1 ? '' : 's'}.`);
      }
      return count;
    },
    /** Writes "method": "PUT" for the URL at `offset`. */
    async setMethodPut(args: CallbackSiteArgs): Promise<boolean> {
      const { doc, site } = await siteAt(args);
      return doc && site ? applyEdits(doc, [setMethodPutEdit(site)]) : false;
    },
  };
}
