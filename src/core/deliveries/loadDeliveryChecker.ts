/** The SDK-backed delivery checker, loaded on first use: tracking a document must not load the AWS SDK at activation. */
export function loadDeliveryChecker(): typeof import('./headObjects') {
  // require, not import(): a relative dynamic import would need the ESM loader; the bundler keeps this lazy either way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./headObjects') as typeof import('./headObjects');
}
