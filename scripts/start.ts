// `npm start`: S3 Hooks in a real VS Code (code-server) in the browser, on sample/, with an embedded
// S3-compatible server holding a demo bucket. Binds only to 127.0.0.1; Ctrl+C stops everything.
//
// How S3 Hooks gets into that VS Code: as an installed extension, not as an Extension Development
// Host. The development host needs code-server's `--vscode-option enable-smoke-test-driver` (the
// built workbench ignores the URL's development payload without it), and that driver also hides
// every notification toast, so a person trying S3 Hooks would never see its warnings, results,
// progress or errors pop up. Instead the throwaway extensions folder gets a symlink
// `<publisher>.<name>-<version>` -> this repository, which VS Code scans like an unpacked extension
// (`--list-extensions` below registers it in the folder's extensions.json and confirms it is seen).
// The symlink keeps the edit loop of a development host: `npm run watch` rebuilds dist/ and
// "Developer: Reload Window" loads it. Manifest changes (package.json: commands, views, settings)
// show after a second Reload Window: the first one still uses VS Code's cached scan of the
// extension, which it refreshes in the background. A packaged .vsix (`vsce package` +
// `--install-extension`) would work too but is a copy: every change would need a repackage and a
// reinstall. Uninstalling S3 Hooks in that VS Code only drops it from extensions.json; the
// repository behind the symlink is never touched. The integration tests keep the driver and the
// development payload (test/runInVsCode.ts): they need window.driver and the test runner.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import S3rver from '@20minutes/s3rver';
import { demoSteps, setJsoncSetting, type DemoContext, type DemoS3 } from './demo/demoContent';
import { startCodeServer, type RunningCodeServer } from './vscode/codeServer';
import { ensureRealVsCode, type RealVsCode } from './vscode/install';
import { portIsFree, stopList } from './vscode/lifecycle';
import { repoRoot, say, whenParentEnds } from './vscode/repo';

const root = repoRoot();
const log = (message: string) => say('start', message);
const sampleDir = join(root, 'sample');
const settingsFile = join(sampleDir, '.vscode', 'settings.json');
const bucket = 'demo-bucket';
const region = 'us-east-1';
/** @20minutes/s3rver's built-in keys. */
const s3Keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
/** Ports: a stable one for the S3 server (so URLs made earlier keep working), any free one for VS Code. */
const s3Port = Number(process.env.S3_HOOKS_S3_PORT ?? 4568);
const vscodePort = Number(process.env.S3_HOOKS_PORT ?? 0);

// The demo steps use the AWS SDK in this (Node 20) process: its "will require node >=22" notice is
// not news to someone trying S3 Hooks (documented switch of @aws-sdk/core; the CLI sets it too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { stops, stopAll, isStopping } = stopList(log);

async function startS3(): Promise<DemoS3> {
  const directory = join(root, '.s3rver');
  await mkdir(directory, { recursive: true });
  // S3rver's run() never rejects on a taken port: the listen error is an unhandled 'error' event
  // that ends the process. So look first.
  let port = s3Port;
  if (port !== 0 && !(await portIsFree(port))) {
    log(`Port ${port} is taken (another npm start?); the S3 server takes a free port instead.`);
    port = 0;
  }
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  stops.push({ what: 'stop the S3 server', run: () => server.close() });
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    port: address.port,
    region,
    bucket,
    forcePathStyle: true,
    connection: { region, endpoint, forcePathStyle: true, credentials: { ...s3Keys } },
  };
}

/** The setting keys `npm start` writes; checked against package.json so that a rename cannot go unnoticed. */
const connectionSettings = ['s3Hooks.s3.endpoint', 's3Hooks.s3.forcePathStyle', 's3Hooks.s3.region'] as const;

async function pointSettingsAt(s3: DemoS3): Promise<void> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  for (const key of connectionSettings) {
    if (!(key in manifest.contributes.configuration.properties)) {
      throw new Error(`package.json no longer declares the setting ${key}; update scripts/start.ts`);
    }
  }
  await setJsoncSetting(settingsFile, 's3Hooks.s3.endpoint', s3.endpoint);
  await setJsoncSetting(settingsFile, 's3Hooks.s3.forcePathStyle', true);
  await setJsoncSetting(settingsFile, 's3Hooks.s3.region', s3.region);
}

async function runDemoSteps(s3: DemoS3): Promise<void> {
  const liveDir = join(sampleDir, 'live');
  await mkdir(liveDir, { recursive: true });
  const demo: DemoContext = {
    s3,
    sampleDir,
    liveDir,
    setSampleSetting: (key, value) => setJsoncSetting(settingsFile, key, value),
    log: (message) => log(`  ${message}`),
  };
  for (const step of demoSteps) {
    log(`Demo: ${step.title}`);
    try {
      await step.run(demo);
    } catch (error) {
      log(`  failed (skipped): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Installs S3 Hooks into code-server's `extensionsDir` as a symlink to this
 * repository (see the top of this file), then asks code-server to list its
 * extensions: that registers the folder in the extensions dir's
 * extensions.json and fails clearly if VS Code does not see it.
 */
async function installAsSymlink(vscode: RealVsCode, { extensionsDir, userDataDir, configFile }: { extensionsDir: string; userDataDir: string; configFile: string }): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`;
  await mkdir(extensionsDir, { recursive: true });
  const link = join(extensionsDir, `${id}-${manifest.version}`);
  await symlink(root, link, 'dir');
  // Removing the temporary folder would only unlink it too (rm does not follow symlinks); unlinking
  // it first keeps the repository out of reach of anything that walks that folder.
  stops.push({ what: `remove the symlink ${link}`, run: () => unlink(link) });
  const { stdout } = await promisify(execFile)(vscode.node, [
    vscode.entry,
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    '--config', configFile,
    '--list-extensions', '--show-versions',
  ]);
  const listed = stdout.split('\n').map((line) => line.trim());
  if (!listed.includes(`${id}@${manifest.version}`)) {
    throw new Error(`code-server does not list ${id}@${manifest.version} from ${extensionsDir} (it listed: ${listed.filter(Boolean).join(', ') || 'nothing'})`);
  }
  return `${id}@${manifest.version}`;
}

async function main(): Promise<void> {
  const vscode = await ensureRealVsCode({ cacheDir: process.env.S3_HOOKS_VSCODE_CACHE ?? join(root, '.vscode-test'), log });

  const s3 = await startS3();
  log(`S3 server (@20minutes/s3rver) on ${s3.endpoint}, bucket "${bucket}", storage in .s3rver/`);
  await pointSettingsAt(s3);
  log('sample/.vscode/settings.json points s3Hooks.s3.endpoint / forcePathStyle / region at it');
  await runDemoSteps(s3);

  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-start-'));
  stops.push({ what: `remove ${temp}`, run: () => rm(temp, { recursive: true, force: true }) });
  const userDataDir = join(temp, 'user-data');
  const extensionsDir = join(temp, 'extensions');
  const configFile = join(temp, 'code-server.yaml');
  const installed = await installAsSymlink(vscode, { extensionsDir, userDataDir, configFile });
  log(`S3 Hooks (${installed}) installed into code-server as a symlink to this repository`);
  const server: RunningCodeServer = await startCodeServer(vscode, {
    folder: sampleDir,
    port: vscodePort,
    userDataDir,
    extensionsDir,
    configFile,
    // The real user experience: notification toasts show (see the top of this file).
    smokeTestDriver: false,
    userSettings: {
      // A demo of S3 Hooks: open sample/README.md first, keep the AI chat panel out of the way.
      'workbench.startupEditor': 'readme',
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // sample/ is inside this repository's git clone: no "open the repository in the parent folder?" prompt.
      'git.openRepositoryInParentFolders': 'never',
      // Desktop VS Code does not offer to "open in browser" every port an extension listens on
      // (the webhook listener); code-server would, with a toast that is not S3 Hooks'.
      'remote.autoForwardPorts': false,
      // Never let an extension update from the gallery replace the symlinked S3 Hooks.
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
    },
    env: {
      // The demo server's keys reach the extension through the standard AWS chain (never settings.json).
      AWS_ACCESS_KEY_ID: s3Keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3Keys.secretAccessKey,
      // A profile would make the chain skip the environment keys; a session token would not match them.
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
    },
    onOutput: process.env.S3_HOOKS_VERBOSE === '1' ? (line) => say('code-server', line) : undefined,
  });
  stops.push({ what: 'stop code-server', run: () => server.stop() });

  // S3 Hooks is installed (a symlink to this repository), so the URL needs no development payload.
  const url = server.workbenchUrl({ folder: sampleDir, skipWelcome: false });
  log(`${vscode.version} is running.`);
  process.stdout.write(`\n  Open S3 Hooks in VS Code:\n\n    ${url}\n\n  Press Ctrl+C to stop.\n\n`);

  const code = await server.exited;
  if (!isStopping()) {
    log(`code-server exited unexpectedly (code ${code}); stopping.`);
    await stopAll();
    process.exit(1);
  }
}

// Ctrl+C reaches us twice: from the terminal (we are in its foreground process group) and
// forwarded by npm. With a one-shot handler the second one would kill us mid-way (temporary
// folder left behind), so repeats within a few seconds are ignored; a later one stops at once
// (code-server's process group is still SIGKILLed on exit, by scripts/vscode/codeServer.ts).
let firstSignalAt: number | undefined;
for (const [signal, code] of [['SIGINT', 0], ['SIGTERM', 0], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt > 3000) {
        log(`${signal} again: exiting without waiting for the rest.`);
        process.exit(code === 0 ? 130 : code);
      }
      return;
    }
    firstSignalAt = Date.now();
    log(`${signal}: stopping code-server and the S3 server...`);
    void stopAll().then(() => {
      log('Stopped.');
      process.exit(code);
    });
  });
}

whenParentEnds(() => {
  log('The process that started npm start has ended: stopping code-server and the S3 server...');
  void stopAll().then(() => process.exit(0));
});

main().catch(async (error: unknown) => {
  log(`Failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
});
