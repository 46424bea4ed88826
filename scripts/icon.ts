// `npm run icon`: renders media/icon.svg to media/icon.png (128×128, transparent corners) with the
// Chromium the test harness uses, so the extension icon is drawn by a browser, not by hand.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from './vscode/browser';
import { repoRoot, say } from './vscode/repo';

const root = repoRoot();
const log = (message: string) => say('icon', message);

async function main(): Promise<void> {
  const svg = await readFile(join(root, 'media', 'icon.svg'), 'utf8');
  const browser = await launchChromium(log);
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const out = join(root, 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  log(`Failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
