import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { parseSigningSecret, redactSecretRule, schemeSyntax } from '../core/webhookSignatures';
import { SettingKeys, SettingsSection } from '../settings';
import { readSigningSecretRules, signingSecretsKey, type TunnelOverrides } from './handlerTesting';
import type { WebhookListenerService } from './webhookListenerService';
import { errorText } from '../core/errorText';

/**
 * Start/Stop Public Tunnel, Copy Public URL, Set/Clear Webhook Signing
 * Secret(s). They take argument objects for tests and keybindings:
 * `startPublicTunnel` `{ program, command, programPath }`,
 * `setWebhookSigningSecret` `{ rule: "PATH_GLOB=SCHEME:SECRET" }`.
 */
export function registerHandlerTestingCommands(context: vscode.ExtensionContext, service: WebhookListenerService, log: vscode.LogOutputChannel): void {
  const fail = (name: string, err: unknown, actions: string[] = []): void => {
    const message = errorText(err);
    log.error(`${name}: ${message}`);
    void vscode.window.showErrorMessage(message, ...actions, 'Show Log').then((choice) => {
      if (choice === 'Show Log') {
        log.show();
      } else if (choice === 'Tunnel Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', `${SettingsSection}.tunnel`);
      }
    });
  };

  const copyPublicUrl = async (): Promise<string | undefined> => {
    const url = service.current.tunnelUrl ?? service.current.publicUrl;
    if (!url) {
      void vscode.window.showInformationMessage('No public URL yet: run S3 Hooks: Start Public Tunnel, or set s3Hooks.listener.publicUrl.', 'Start Public Tunnel').then((c) => {
        if (c) {
          void vscode.commands.executeCommand(CommandIds.startPublicTunnel);
        }
      });
      return undefined;
    }
    await vscode.env.clipboard.writeText(url);
    void vscode.window.showInformationMessage(`Public URL copied: ${url}. Register it (with your path, e.g. ${url}/hooks) with the provider.`);
    return url;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.startPublicTunnel, async (overrides?: TunnelOverrides) => {
      try {
        const url = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Starting a public tunnel to the webhook listener…' },
          () => service.startTunnel(overrides),
        );
        if (!overrides) {
          void vscode.window.showInformationMessage(`Public URL: ${url}. Confirmations are now signed over it plus each request's path.`, 'Copy Public URL').then((c) => {
            if (c) {
              void copyPublicUrl();
            }
          });
        }
        return url;
      } catch (err) {
        fail('Start Public Tunnel', err, ['Tunnel Settings']);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(CommandIds.stopPublicTunnel, () => service.stopTunnel()),
    vscode.commands.registerCommand(CommandIds.copyPublicUrl, copyPublicUrl),
    vscode.commands.registerCommand(CommandIds.setWebhookSigningSecret, async (args?: { rule?: string }) => {
      try {
        const rule = args?.rule ?? (await askSigningSecret());
        if (!rule) {
          return false;
        }
        const parsed = parseSigningSecret(rule);
        const rules = (await readSigningSecretRules(context.secrets)).filter((r) => !r.startsWith(`${parsed.paths.pattern}=`));
        await context.secrets.store(signingSecretsKey, JSON.stringify([...rules, rule]));
        log.info(`Webhook signing secret set: ${redactSecretRule(rule)}`);
        if (!args?.rule) {
          void vscode.window.showInformationMessage(
            `Signing secret for ${parsed.paths.pattern} kept in VS Code's secret storage. It applies at the next start of the listener.`,
          );
        }
        return true;
      } catch (err) {
        fail('Set Webhook Signing Secret', err);
        return false;
      }
    }),
    vscode.commands.registerCommand(CommandIds.clearWebhookSigningSecrets, async () => {
      await context.secrets.delete(signingSecretsKey);
      log.info('Webhook signing secrets cleared');
      return true;
    }),
  );
}

/** Path pattern → scheme → secret (a password box), as one rule. */
async function askSigningSecret(): Promise<string | undefined> {
  const path = await vscode.window.showInputBox({
    title: 'Set Webhook Signing Secret (1/3): paths',
    prompt: 'The request paths this secret checks: /hooks/github, /hooks/* (one segment), /hooks/** (any depth), or ** for all.',
    value: '/**',
    validateInput: (v) => (v.trim().startsWith('/') || v.trim() === '**' ? undefined : 'Start the pattern with /'),
  });
  if (!path) {
    return undefined;
  }
  const scheme = await vscode.window.showQuickPick(
    [
      { label: 'standard', description: 'Standard Webhooks / Svix: webhook-id, webhook-timestamp, webhook-signature; whsec_ secret' },
      { label: 'github', description: 'X-Hub-Signature-256: sha256=<hex>' },
      { label: 'hmac(X-Signature,hex)', description: 'a vendor header with HMAC-SHA256 of the body; edit the header, hex|base64, optional prefix' },
    ],
    { title: 'Set Webhook Signing Secret (2/3): how the sender signs' },
  );
  if (!scheme) {
    return undefined;
  }
  let schemeText: string | undefined = scheme.label;
  if (scheme.label.startsWith('hmac(')) {
    schemeText = await vscode.window.showInputBox({ title: 'Generic HMAC-SHA256 header', prompt: `hmac(HEADER,hex|base64[,PREFIX]) (${schemeSyntax})`, value: scheme.label });
  }
  if (!schemeText) {
    return undefined;
  }
  const secret = await vscode.window.showInputBox({ title: 'Set Webhook Signing Secret (3/3): the secret', password: true, ignoreFocusOut: true, prompt: 'Kept in VS Code\'s secret storage, never in settings.' });
  return secret ? `${path.trim()}=${schemeText.trim()}:${secret}` : undefined;
}

/** The listener menu's tunnel entries. */
export function tunnelMenuItems(service: WebhookListenerService): (vscode.QuickPickItem & { run: () => unknown })[] {
  const status = service.current;
  if (status.tunnelUrl) {
    return [
      { label: '$(copy) Copy Public URL', description: status.tunnelUrl, run: () => vscode.commands.executeCommand(CommandIds.copyPublicUrl) },
      { label: '$(debug-disconnect) Stop Public Tunnel', description: status.tunnelLabel, run: () => vscode.commands.executeCommand(CommandIds.stopPublicTunnel) },
    ];
  }
  return [
    {
      label: '$(globe) Start Public Tunnel',
      description: `${SettingsSection}.${SettingKeys.tunnelProgram}`,
      detail: 'A public https URL for providers (cloudflared quick tunnel, ngrok, or your command)',
      run: () => vscode.commands.executeCommand(CommandIds.startPublicTunnel),
    },
  ];
}
