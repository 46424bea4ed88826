/**
 * The SDK-backed presigner, loaded on first use: planning and validating (what the pickers do while
 * the user types) must not pay for loading the AWS SDK.
 */
export function loadPresigner(): typeof import('./presignPut') {
  // require, not import(): a relative dynamic import would need the ESM loader; the bundler keeps this lazy either way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./presignPut') as typeof import('./presignPut');
}

/** The SDK-backed GET and POST presigners, loaded on first use (see {@link loadPresigner}). */
export function loadObjectPresigner(): typeof import('./presignObject') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./presignObject') as typeof import('./presignObject');
}
