/**
 * What `activate` returns: the extension's live services, for other extensions
 * and for the integration tests (which reach it through
 * `vscode.extensions.getExtension(extensionId)!.activate()`). Each capability
 * adds its service here.
 */
export interface S3HooksApi {
  /** Milliseconds `activate` took, measured inside the extension host. */
  readonly activationMs: number;
}

/** `<publisher>.<name>` from package.json. */
export const extensionId = 's3-hooks.s3-hooks';
