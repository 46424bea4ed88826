import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { findPutUrls, type PutUrlSite } from '../core/presign/callbackDocument';
import { signedTypeOf } from './signedUrls';
import { callbackProblems, fixOfProblem, putLensTitle, type CallbackFix, type CallbackProblem, type CallbackProblemCode } from '../core/presign/callbackProblems';

/** JSON documents: where callback lenses, problems and fixes apply. */
export const callbackDocumentSelector: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

/** Diagnostic source, so the code action provider and tests find ours. */
export const callbackDiagnosticSource = 'S3 Hooks';

/** The arguments of the re-sign and method fixes: which document, which URL (by its offset). */
export interface CallbackSiteArgs {
  uri: string;
  offset: number;
}

function isJson(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc';
}

function spanRange(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
}

function diagnosticFor(doc: vscode.TextDocument, site: PutUrlSite, problem: CallbackProblem): vscode.Diagnostic {
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(spanRange(doc, site.span.offset, site.span.length), problem.message, severity);
  diagnostic.source = callbackDiagnosticSource;
  diagnostic.code = problem.code;
  return diagnostic;
}

/**
 * Keeps the Problems panel true for every open JSON document with presigned
 * PUT URLs: re-checked on open and edit, and every minute (URLs expire while
 * the document just sits there).
 */
export class CallbackDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('s3Hooks.callbacks');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timer = setInterval(() => this.refreshAll(), 60_000);

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.refresh(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      this.refresh(doc);
    }
  }

  refresh(doc: vscode.TextDocument): void {
    if (!isJson(doc)) {
      return;
    }
    const now = new Date();
    const diagnostics = findPutUrls(doc.getText(), signedTypeOf).flatMap((site) =>
      callbackProblems(site, { now }).map((p) => diagnosticFor(doc, site, p)),
    );
    this.collection.set(doc.uri, diagnostics);
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.collection.dispose();
  }
}

const fixTitles: Record<CallbackFix, string> = {
  resign: 'Re-sign this presigned URL',
  setMethodPut: 'Set "method" to "PUT"',
};

const fixCommands: Record<CallbackFix, string> = {
  resign: CommandIds.resignPresignedUrl,
  setMethodPut: CommandIds.setCallbackMethodPut,
};

/** Quick fixes for our diagnostics: re-sign the URL, write "PUT", or re-sign every expired URL of the document. */
export class CallbackCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    // Diagnostics come back from the workbench as plain copies: the fix is found by code, the URL by the range's start.
    const ours = context.diagnostics.filter((d) => d.source === callbackDiagnosticSource && typeof d.code === 'string' && d.code in fixOfProblem);
    const seen = new Set<string>();
    for (const d of ours) {
      const offset = doc.offsetAt(d.range.start);
      const fix = fixOfProblem[d.code as CallbackProblemCode];
      if (!fix || seen.has(`${fix}@${offset}`)) {
        continue;
      }
      seen.add(`${fix}@${offset}`);
      const action = new vscode.CodeAction(fixTitles[fix], vscode.CodeActionKind.QuickFix);
      action.diagnostics = ours.filter((o) => o.range.isEqual(d.range) && fixOfProblem[o.code as CallbackProblemCode] === fix);
      action.isPreferred = true;
      const args: CallbackSiteArgs = { uri: doc.uri.toString(), offset };
      action.command = { title: fixTitles[fix], command: fixCommands[fix], arguments: [args] };
      actions.push(action);
    }
    if (ours.some((d) => d.code === 'expired')) {
      const all = new vscode.CodeAction('Re-sign all expired URLs', vscode.CodeActionKind.QuickFix);
      all.command = { title: all.title, command: CommandIds.resignExpiredUrls, arguments: [doc.uri] };
      actions.push(all);
    }
    return actions;
  }
}

/**
 * A lens above every presigned PUT URL ("Test upload · text/srt · expires in
 * 23 h") and one at the top of the document: Track Callback Deliveries.
 * Refreshed every minute so the time stays true.
 */
export class CallbackCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly timer = setInterval(() => this.changed.fire(), 60_000);

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const sites = findPutUrls(doc.getText(), signedTypeOf);
    if (sites.length === 0) {
      return [];
    }
    const now = new Date();
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, {
        title: `$(eye) Track Callback Deliveries (${sites.length})`,
        tooltip: 'Check whether the vendor has uploaded to each URL (HEAD with your credentials), and keep watching',
        command: CommandIds.trackCallbackDeliveries,
        arguments: [doc.uri],
      }),
    ];
    for (const site of sites) {
      lenses.push(
        new vscode.CodeLens(spanRange(doc, site.span.offset, site.span.length), {
          title: `$(beaker) ${putLensTitle(site, now)}`,
          tooltip: `Upload a small sample to s3://${site.info.bucket ?? '?'}/${site.info.key ?? '?'} with the headers the uploader sends (${site.label})`,
          command: CommandIds.testPresignedPutUrl,
          arguments: [testArgs(site)],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
  }
}

/** The Test Presigned PUT URL arguments for a site: its URL and the Content-Type the uploader sends. */
export function testArgs(site: PutUrlSite): { url: string; headers: Record<string, string> } {
  const type = site.uploaderContentType ?? (typeof site.signedContentType === 'string' ? site.signedContentType : undefined);
  return { url: site.url, headers: type ? { 'Content-Type': type } : {} };
}
