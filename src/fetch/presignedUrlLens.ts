import { findNodeAtLocation, findNodeAtOffset, getNodePath, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { findFileReferences, sameJsonPath, type FileReference } from '../core/events';
import { describeExpiry } from '../core/format/duration';
import { inspectPresignedUrl } from '../core/url/presignedUrl';
import { readSetting, SettingKeys } from '../settings';
import type { FetchFromEventArgs } from './fetchCommand';

/** JSON documents: where the lenses and hovers apply. */
export const jsonDocuments: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

/** Larger documents are not scanned for lenses (a recorded event is rarely more than a few KB). */
const maxScannedLength = 5 * 1024 * 1024;

interface Scanned {
  root: Node;
  refs: FileReference[];
}

/** Parses a JSON document and finds its file references; undefined when too large or not JSON. */
export function scan(doc: vscode.TextDocument): Scanned | undefined {
  if (doc.getText().length > maxScannedLength) {
    return undefined;
  }
  const root = parseTree(doc.getText(), [], { allowTrailingComma: true, disallowComments: false });
  if (!root) {
    return undefined;
  }
  return { root, refs: findFileReferences(getNodeValue(root)) };
}

function rangeOf(doc: vscode.TextDocument, node: Node): vscode.Range {
  return new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length));
}

/** "Fetch · expires in 3 h", "Fetch · expired 2 h ago", "Fetch · invalid expiry in the URL", "Fetch s3://bucket/key". */
export function lensTitle(ref: FileReference, now = Date.now()): string {
  if (!ref.url) {
    return `$(cloud-download) Fetch s3://${ref.bucket}/${ref.key ?? ''}`;
  }
  if (!ref.expiresAt && ref.expiryProblem) {
    return '$(cloud-download) Fetch · invalid expiry in the URL';
  }
  return `$(cloud-download) Fetch · ${describeExpiry(ref.expiresAt ? new Date(ref.expiresAt) : undefined, now)}`;
}

/**
 * A CodeLens above every file reference of a JSON document (presigned URLs,
 * and S3 notification records): "Fetch · expires in 3 h" / "expired 2 h ago".
 * Refreshed every minute so the time stays true.
 */
export class PresignedUrlCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly timer = setInterval(() => this.changed.fire(), 60_000);
  private readonly configListener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`s3Hooks.${SettingKeys.fetchCodeLens}`)) {
      this.changed.fire();
    }
  });

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (readSetting<boolean>(SettingKeys.fetchCodeLens, doc.uri) === false) {
      return [];
    }
    const scanned = scan(doc);
    if (!scanned) {
      return [];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const ref of scanned.refs) {
      const node = findNodeAtLocation(scanned.root, ref.jsonPath);
      if (!node) {
        continue;
      }
      const args: FetchFromEventArgs = { uri: doc.uri.toString(), jsonPath: ref.jsonPath };
      lenses.push(
        new vscode.CodeLens(rangeOf(doc, node), {
          title: lensTitle(ref),
          tooltip: `Fetch ${ref.suggestedName} into the workspace (${ref.redactedUrl ?? `s3://${ref.bucket}/${ref.key}`})`,
          command: CommandIds.fetchFromEvent,
          arguments: [args],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.configListener.dispose();
    this.changed.dispose();
  }
}

/**
 * A hover on a presigned URL string: its decoded parts (bucket, key, region,
 * signed headers, signing time, expiry with the event's own rule), with the
 * signature and credential redacted.
 */
export class PresignedUrlHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const scanned = scan(doc);
    if (!scanned) {
      return undefined;
    }
    const node = findNodeAtOffset(scanned.root, doc.offsetAt(position));
    if (!node || node.type !== 'string' || typeof node.value !== 'string') {
      return undefined;
    }
    const info = inspectPresignedUrl(node.value);
    if (!info) {
      return undefined;
    }
    const path = getNodePath(node);
    const ref = scanned.refs.find((r) => sameJsonPath(r.jsonPath, path));
    const expiresAt = ref?.expiresAt ? new Date(ref.expiresAt) : info.expiresAt;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Presigned S3 URL** (${info.signatureVersion === 'v4' ? 'SigV4' : 'SigV2'})\n\n`);
    const rows: [string, string | undefined][] = [
      ['Bucket', info.bucket],
      ['Key', info.key],
      ['Region', info.region],
      // SigV2 signs a fixed string (method, Content-MD5, Content-Type, Expires, resource), not a header list.
      ['Signed headers', info.signatureVersion === 'v4' ? info.signedHeaders.join(', ') : undefined],
      ['Signature', info.signatureVersion === 'v2' ? 'SigV2 (Signature + Expires): AWS S3 refuses it in most regions' : undefined],
      ['Signed at', info.signedAt?.toISOString()],
      ['Expires', expiresAt ? `${expiresAt.toISOString()} (${describeExpiry(expiresAt)}${ref?.expirySource ? `, from ${ref.expirySource}` : ''})` : info.expiryProblem ? `invalid: ${info.expiryProblem}` : 'not stated in the URL'],
      ['Temporary credentials', info.hasSecurityToken ? 'yes: the link dies when they expire, whatever it says' : undefined],
    ];
    for (const [name, value] of rows) {
      if (value) {
        md.appendMarkdown(`${name}: `);
        md.appendText(value);
        md.appendMarkdown('  \n');
      }
    }
    md.appendMarkdown('\n');
    md.appendCodeblock(info.redacted, 'text');
    return new vscode.Hover(md, rangeOf(doc, node));
  }
}
