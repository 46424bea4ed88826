import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

/**
 * A VS Code workbench in the browser, driven the way a person would: the UI
 * suites in test/ui/ get it from {@link workbench}. The window has S3 Hooks
 * loaded from the repository (Extension Development Host) on a fresh copy of
 * test/fixtures/workspace.
 */
export class Workbench {
  constructor(
    /** The playwright page showing the workbench; use it for anything the helpers below do not cover. */
    readonly page: Page,
    /** Absolute path of the workspace folder the window has open (a temporary copy of the fixtures). */
    readonly workspaceFolder: string,
    /** Where screenshots go (test-results/ in the repository, ignored by git). */
    readonly resultsDir: string,
  ) {}

  /**
   * Waits until the workbench has restored its layout (VS Code's smoke-test
   * driver says so; before that, restoring can take focus away and close the
   * Command Palette) and S3 Hooks' activity-bar icon is shown.
   */
  async ready(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction("typeof window.driver?.whenWorkbenchRestored === 'function'", undefined, { timeout });
    await this.page.evaluate('window.driver.whenWorkbenchRestored()');
    await this.activityBarItem('S3 Hooks').waitFor({ state: 'visible', timeout });
  }

  /** An icon in the activity bar, by its title (the view container's title). */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
  }

  /** Clicks an activity-bar icon (unless its container is already open) and returns the side bar. */
  async openViewContainer(title: string): Promise<Locator> {
    const sidebar = this.page.locator('.part.sidebar');
    const header = sidebar.locator('.composite.title h2', { hasText: title });
    if (!(await header.isVisible())) {
      await this.activityBarItem(title).click();
    }
    await header.waitFor({ state: 'visible' });
    return sidebar;
  }

  /** The side bar's width in pixels (0 when it is hidden). */
  async sideBarWidth(): Promise<number> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    return box?.width ?? 0;
  }

  /**
   * Drags the side bar's edge until it is `width` pixels wide (a person's way
   * of resizing it). The layout is the window's, shared by every suite: a
   * suite that widens it puts it back, or the editor left for the next suite
   * can be too narrow to click in.
   */
  async setSideBarWidth(width: number): Promise<void> {
    const box = (await this.page.locator('.part.sidebar').boundingBox())!;
    await this.page.mouse.move(box.x + box.width, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }

  /** A view (pane) in the side bar, by its name as shown in its header; expands it if collapsed. */
  async view(name: string): Promise<Locator> {
    const pane = this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: name }) });
    await pane.waitFor({ state: 'visible' });
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
    }
    return pane;
  }

  /**
   * Runs a command from the Command Palette by typing its full title as shown
   * there, e.g. `S3 Hooks: Show Log`, and pressing Enter.
   */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    // The first row must be the one we mean: Enter runs the focused (first) match.
    const first = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    const label = (await first.getAttribute('aria-label')) ?? (await first.innerText());
    if (!label.includes(title)) {
      throw new Error(`Command Palette: the first match for "${title}" is "${label}"`);
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Clicks the row of the open Quick Pick whose label contains `label`. */
  async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
  }

  /**
   * Sets a setting in the window's `.vscode/settings.json` (created if needed, other keys kept);
   * VS Code picks the file change up within a moment.
   */
  async setWorkspaceSetting(key: string, value: unknown): Promise<void> {
    const file = join(this.workspaceFolder, '.vscode', 'settings.json');
    await mkdir(dirname(file), { recursive: true });
    let settings: Record<string, unknown> = {};
    try {
      settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // No settings yet.
    }
    settings[key] = value;
    await writeFile(file, JSON.stringify(settings, null, 2));
  }

  /** The bottom panel (Output, Problems, Terminal...). */
  panel(): Locator {
    return this.page.locator('.part.panel');
  }

  /** Notification toasts currently shown. */
  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** Opens the Notifications center (where the smoke-test driver puts every notification) unless it is open. */
  async showNotificationsCenter(): Promise<void> {
    await this.pressNotificationsBell('visible');
  }

  /** Closes the Notifications center if it is open. */
  async hideNotificationsCenter(): Promise<void> {
    await this.pressNotificationsBell('hidden');
  }

  /**
   * Runs the status bar bell's command (it shows the center when hidden, hides it when shown) with
   * Enter, as a keyboard user does, and waits for the center to be `wanted`. Not a mouse click: the
   * bell's icon is re-rendered whenever a notification arrives or a progress changes, and Chromium
   * drops a click whose mousedown target was replaced before its mouseup, so a click landing as
   * the command under test reports (the moment these tests click) could silently do nothing. One
   * keydown on the bell's label cannot be split that way.
   */
  private async pressNotificationsBell(wanted: 'visible' | 'hidden'): Promise<void> {
    const center = this.page.locator('.notifications-center');
    if ((await center.isVisible()) === (wanted === 'visible')) {
      return;
    }
    await this.page.locator('[id="status.notifications"] .statusbar-item-label').press('Enter');
    await center.waitFor({ state: wanted });
  }

  /**
   * Puts back what a test may leave behind in the window every suite shares:
   * an open Notifications center, Quick Input or context menu (Escape closes
   * them, as a person would), and a side bar left wide (over 400 px, which
   * squeezes the editor whose lines the tests click). Run before every UI
   * test, so one test's leftovers (a test that failed half way, say) cannot
   * fail the next.
   */
  async settle(): Promise<void> {
    await this.hideNotificationsCenter();
    for (const overlay of ['.quick-input-widget', '.context-view .monaco-menu']) {
      const open = this.page.locator(overlay);
      if (await open.isVisible()) {
        await this.page.keyboard.press('Escape');
        await open.waitFor({ state: 'hidden' });
      }
    }
    if ((await this.sideBarWidth()) > 400) {
      await this.setSideBarWidth(300);
    }
  }

  /** Saves a full-window screenshot as test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    await mkdir(this.resultsDir, { recursive: true });
    const path = join(this.resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}

/**
 * The Notifications center's item matching `text`, opening the center first (the smoke-test driver
 * hides toasts, so notifications are read there). Fails naming what the center shows instead.
 */
export async function notification(wb: Workbench, text: string | RegExp): Promise<Locator> {
  await wb.showNotificationsCenter();
  const center = wb.page.locator('.notifications-center');
  const item = center.locator('.notification-list-item', { hasText: text }).first();
  try {
    await item.waitFor({ state: 'visible' });
  } catch (err) {
    throw new Error(`No notification matching ${String(text)}; the center shows: ${JSON.stringify(await center.innerText())}`, { cause: err });
  }
  return item;
}

let current: Workbench | undefined;

/** The workbench the launcher opened for the UI suites. Call it inside tests or hooks, not at load time. */
export function workbench(): Workbench {
  if (!current) {
    throw new Error('No workbench: UI tests run only under test/runInVsCode.ts (npm run test:integration).');
  }
  return current;
}

/** For the launcher: sets (or clears) the workbench the UI suites drive. */
export function setWorkbench(value: Workbench | undefined): void {
  current = value;
}
