import { chromium, type Browser } from 'playwright-core';
import { DebianPackages, ensureDebianPackages } from './debianPackages';

/** Debian's Chromium; override with `S3_HOOKS_CHROMIUM`. Never `npx playwright install` (it downloads). */
export const chromiumPath = process.env.S3_HOOKS_CHROMIUM ?? '/usr/bin/chromium';

/** Without the networking flags Chromium keeps trying to reach the internet (../shared/REAL-VSCODE.md). */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium through playwright-core (installing Debian's
 * `chromium` first when it is missing and we are root). The caller closes it;
 * signal handling is left to the caller so that it can stop things in order.
 */
export async function launchChromium(log: (message: string) => void): Promise<Browser> {
  if (!process.env.S3_HOOKS_CHROMIUM) {
    await ensureDebianPackages([DebianPackages.chromium], 'the browser that runs the VS Code workbench', log);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
}
