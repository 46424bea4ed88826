import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import { inspectPresignedUrl, type PresignedUrlInfo } from '../url/presignedUrl';
import { callbackTypes, contentTypeFor, contentTypeForExtension } from './contentTypes';

/**
 * The presigned PUT URLs of a JSON document (VoiceBase `publish.callbacks`, the
 * generic `{ url, method, headers, expiresAt }` form) with what the document
 * says about each: the uploader's method and Content-Type. Plain data with text
 * offsets, so the editor layer only maps it to ranges.
 */

/** A span of the document text. */
export interface TextSpan {
  offset: number;
  length: number;
}

export type UploadForm = 'voicebase' | 'generic';

/** One presigned PUT URL found in a document. */
export interface PutUrlSite {
  /** The URL. A bearer credential while it lives: never log it, show `info.redacted`. */
  url: string;
  info: PresignedUrlInfo;
  /** The JSON string that holds the URL, quotes included. */
  span: TextSpan;
  /** JSON path of the URL value, e.g. ["publish", "callbacks", 2, "url"]. */
  jsonPath: (string | number)[];
  form: UploadForm;
  /** "transcript (srt)", "analytics", "upload": for lenses and messages. */
  label: string;
  /** The `method` value as written; undefined when the object has none. */
  method?: unknown;
  /** The `method` value's span, to replace it; undefined when absent. */
  methodSpan?: TextSpan;
  /** Where `"method": "PUT", ` can be inserted (before the `"url"` property). */
  methodInsertAt: number;
  /**
   * The Content-Type the uploader will send, as the document says it: the
   * VoiceBase table for the callback's type and format, or the generic form's
   * `headers`. undefined: none (or the callback's type is unknown).
   */
  uploaderContentType?: string;
  /** Where uploaderContentType came from, for messages: "the callback's type transcript (srt)". */
  uploaderContentTypeSource?: string;
  /**
   * The Content-Type the URL signs: `null` when it signs none (any type is
   * accepted), a value when readable (the generic form's headers, else the
   * key's extension through the table), undefined when signed but unreadable.
   */
  signedContentType?: string | null;
  /** The generic form's `expiresAt` value span, to update on re-signing. */
  expiresAtSpan?: TextSpan;
}

/** Larger documents are not scanned (a callback document is a few KB). */
export const maxScannedLength = 5 * 1024 * 1024;

function stringProperty(obj: Node, name: string): Node | undefined {
  const node = findNodeAtLocation(obj, [name]);
  return node?.type === 'string' ? node : undefined;
}

function headerContentType(obj: Node): string | undefined {
  const headers = findNodeAtLocation(obj, ['headers']);
  if (headers?.type !== 'object') {
    return undefined;
  }
  for (const prop of headers.children ?? []) {
    const [name, value] = prop.children ?? [];
    if (typeof name?.value === 'string' && name.value.toLowerCase() === 'content-type' && typeof value?.value === 'string') {
      return value.value;
    }
  }
  return undefined;
}

/** True for an object that is an upload target: a VoiceBase callback or the generic form, not an event that mentions a URL. */
function uploadForm(obj: Node, grandKey: string | number | undefined): UploadForm | undefined {
  const type = stringProperty(obj, 'type')?.value as string | undefined;
  if (grandKey === 'callbacks' || (type !== undefined && (callbackTypes as readonly string[]).includes(type))) {
    return 'voicebase';
  }
  return findNodeAtLocation(obj, ['method']) || findNodeAtLocation(obj, ['headers']) ? 'generic' : undefined;
}

/**
 * The Content-Type a URL is known to sign, from whoever signed it (S3 Hooks
 * remembers the URLs it made): the URL itself does not carry the value.
 */
export type SignedTypeLookup = (url: string) => string | undefined;

function siteFor(obj: Node, urlProp: Node, urlNode: Node, info: PresignedUrlInfo, form: UploadForm, jsonPath: (string | number)[], knownType?: SignedTypeLookup): PutUrlSite {
  const methodNode = findNodeAtLocation(obj, ['method']);
  const site: PutUrlSite = {
    url: urlNode.value as string,
    info,
    span: { offset: urlNode.offset, length: urlNode.length },
    jsonPath,
    form,
    label: 'upload',
    method: methodNode ? getNodeValue(methodNode) : undefined,
    methodSpan: methodNode ? { offset: methodNode.offset, length: methodNode.length } : undefined,
    methodInsertAt: urlProp.offset,
  };
  const signsType = info.signatureVersion === 'v4' && info.signedHeaders.includes('content-type');
  const fromHeaders = headerContentType(obj);
  const extension = /\.([A-Za-z0-9]+)$/.exec(info.key ?? '')?.[1];
  // What the signer remembers beats the key's extension (a re-signed URL keeps its key, not its type).
  const fromExtension = knownType?.(urlNode.value as string) ?? (extension ? contentTypeForExtension(extension) : undefined);
  if (form === 'voicebase') {
    const type = (stringProperty(obj, 'type')?.value as string | undefined) ?? 'analytics';
    const variant = (stringProperty(obj, 'format')?.value ?? stringProperty(obj, 'stream')?.value) as string | undefined;
    site.label = variant ? `${type} (${variant})` : type;
    try {
      site.uploaderContentType = contentTypeFor(type, variant);
      site.uploaderContentTypeSource = `the callback's type ${site.label}`;
    } catch {
      // An unknown type or format: the schema's diagnostics say so; no Content-Type to compare.
    }
    site.signedContentType = signsType ? fromExtension : null;
  } else {
    site.uploaderContentType = fromHeaders;
    site.uploaderContentTypeSource = fromHeaders ? 'the "headers" next to the URL' : undefined;
    site.signedContentType = signsType ? (knownType?.(urlNode.value as string) ?? fromHeaders ?? fromExtension) : null;
    const expiresAt = stringProperty(obj, 'expiresAt');
    site.expiresAtSpan = expiresAt ? { offset: expiresAt.offset, length: expiresAt.length } : undefined;
  }
  return site;
}

/**
 * Every presigned PUT URL of a JSON document (comments and trailing commas
 * allowed): a `url` property holding a presigned S3 URL in a VoiceBase
 * callback (under `callbacks`, or with a callback `type`) or in an object with
 * `method` or `headers` (the generic form). Empty for anything else, including
 * text that is not JSON or longer than {@link maxScannedLength}. `knownType`
 * gives the signed Content-Type of URLs whose signer is known.
 */
export function findPutUrls(text: string, knownType?: SignedTypeLookup): PutUrlSite[] {
  if (text.length > maxScannedLength) {
    return [];
  }
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const sites: PutUrlSite[] = [];
  const visit = (node: Node, path: (string | number)[]): void => {
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) {
          continue;
        }
        const key = keyNode.value as string;
        if (key === 'url' && valueNode.type === 'string') {
          const info = inspectPresignedUrl(valueNode.value as string);
          const form = info ? uploadForm(node, path[path.length - 2]) : undefined;
          if (info && form) {
            sites.push(siteFor(node, prop, valueNode, info, form, [...path, 'url'], knownType));
          }
        } else {
          visit(valueNode, [...path, key]);
        }
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => visit(child, [...path, i]));
    }
  };
  if (root) {
    visit(root, []);
  }
  return sites;
}
