/** The product's version, injected from package.json at build time. */
// A named import: the bundler keeps only this field of the manifest, not all 30 KB of it.
import { version } from '../../package.json';

export const productName = 'S3 Hooks';
export const productVersion: string = version;
