// `npm start`: S3 Hooks in a real VS Code (code-server) in the browser, on sample/, with an embedded
// S3-compatible server holding a demo bucket. Binds only to 127.0.0.1; Ctrl+C stops everything.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { demoSteps, setJsoncSetting, type DemoContext, type DemoS3 } from './demo/demoContent';
import { startCodeServer, type RunningCodeServer } from './vscode/codeServer';
import { ensureRealVsCode } from './vscode/install';
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

const stops: { what: string; run: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    for (const step of stops.reverse()) {
      try {
        await step.run();
      } catch (error) {
        log(`Could not ${step.what}: ${(error as Error).message}`);
      }
    }
  })());
}

async function startS3(): Promise<DemoS3> {
  const directory = join(root, '.s3rver');
  await mkdir(directory, { recursive: true });
  const start = async (port: number) => {
    const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: bucket }] });
    return { server, address: await server.run() };
  };
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start(s3Port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw error;
    }
    log(`Port ${s3Port} is taken; the S3 server takes a free port instead.`);
    started = await start(0);
  }
  const { server, address } = started;
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

async function main(): Promise<void> {
  const vscode = await ensureRealVsCode({ cacheDir: process.env.S3_HOOKS_VSCODE_CACHE ?? join(root, '.vscode-test'), log });

  const s3 = await startS3();
  log(`S3 server (@20minutes/s3rver) on ${s3.endpoint}, bucket "${bucket}", storage in .s3rver/`);
  await pointSettingsAt(s3);
  log('sample/.vscode/settings.json points s3Hooks.s3.endpoint / forcePathStyle / region at it');
  await runDemoSteps(s3);

  const temp = await mkdtemp(join(tmpdir(), 's3-hooks-start-'));
  stops.push({ what: `remove ${temp}`, run: () => rm(temp, { recursive: true, force: true }) });
  const server: RunningCodeServer = await startCodeServer(vscode, {
    folder: sampleDir,
    port: vscodePort,
    userDataDir: join(temp, 'user-data'),
    extensionsDir: join(temp, 'extensions'),
    configFile: join(temp, 'code-server.yaml'),
    // A demo of S3 Hooks: open sample/README.md first, keep the AI chat panel out of the way.
    userSettings: { 'workbench.startupEditor': 'readme', 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off' },
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

  // The Extension Development Host payload loads S3 Hooks straight from this repository (dist/),
  // so `npm run watch` plus "Developer: Reload Window" picks up changes without reinstalling.
  const url = server.workbenchUrl({ folder: sampleDir, extensionDevelopmentPath: root, skipWelcome: false });
  log(`${vscode.version} is running.`);
  process.stdout.write(`\n  Open S3 Hooks in VS Code:\n\n    ${url}\n\n  Press Ctrl+C to stop.\n\n`);

  const code = await server.exited;
  if (!stopping) {
    log(`code-server exited unexpectedly (code ${code}); stopping.`);
    await stopAll();
    process.exit(1);
  }
}

for (const [signal, code] of [['SIGINT', 0], ['SIGTERM', 0], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
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
