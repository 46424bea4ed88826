/** The product's version, injected from package.json at build time. */
import packageJson from '../../package.json';

export const productName = 'S3 Hooks';
export const productVersion: string = packageJson.version;
