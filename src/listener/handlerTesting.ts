import * as vscode from 'vscode';
import { AnswerRules } from '../core/answerRules/answerRules';
import { forwardToProblem } from '../core/forward';
import type { AnswerMode, DeliveryOptions } from '../core/listener/deliveryOptions';
import { parseTunnelSpec, type TunnelSpec } from '../core/tunnel';
import { parseSigningSecret, type SigningSecret } from '../core/webhookSignatures';
import { redactUrlsInText } from '../core/redact';
import { readSetting, SettingKeys } from '../settings';

/** SecretStorage key of the webhook signing secrets: a JSON array of `PATH_GLOB=SCHEME:SECRET` rules. */
export const signingSecretsKey = 's3Hooks.webhookSigningSecrets';

/** Overrides for one start (tests, automation), over the settings. */
export interface DeliveryOverrides {
  forwardTo?: string;
  answerMode?: AnswerMode;
  answers?: string[];
}

export async function readSigningSecretRules(secrets: vscode.SecretStorage): Promise<string[]> {
  const stored = await secrets.get(signingSecretsKey);
  if (!stored) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The listener's delivery options (forwarding, answer rules, signature
 * checks) from the settings and the secret storage; undefined when none is
 * set. Throws with a message naming the setting when one is wrong.
 */
export async function deliveryFromSettings(secrets: vscode.SecretStorage, overrides: DeliveryOverrides, log: vscode.LogOutputChannel): Promise<DeliveryOptions | undefined> {
  const forwardTo = (overrides.forwardTo ?? readSetting<string>(SettingKeys.listenerForwardTo) ?? '').trim() || undefined;
  const problem = forwardTo ? forwardToProblem(forwardTo) : undefined;
  if (problem) {
    throw new Error(`s3Hooks.listener.forwardTo: ${problem}`);
  }
  let answers: AnswerRules | undefined;
  const ruleTexts = overrides.answers ?? readSetting<string[]>(SettingKeys.listenerAnswers) ?? [];
  try {
    answers = ruleTexts.length > 0 ? AnswerRules.parse(ruleTexts) : undefined;
  } catch (err) {
    throw new Error(`s3Hooks.listener.answers: ${(err as Error).message}`, { cause: err });
  }
  const signingSecrets: SigningSecret[] = [];
  for (const rule of await readSigningSecretRules(secrets)) {
    try {
      signingSecrets.push(parseSigningSecret(rule));
    } catch (err) {
      log.warn(`A stored webhook signing secret was skipped: ${(err as Error).message}`);
    }
  }
  if (!forwardTo && !answers && signingSecrets.length === 0) {
    return undefined;
  }
  return {
    forwardTo,
    answerMode: overrides.answerMode ?? readSetting<AnswerMode>(SettingKeys.listenerAnswerMode) ?? 'store',
    answers,
    signingSecrets,
    rejectBadSignatures: readSetting<boolean>(SettingKeys.listenerRejectBadSignatures) ?? false,
    onForwarded: (event) => {
      const app = event.forward;
      log.info(`Forwarded ${event.id} to ${redactUrlsInText(app?.target ?? '')}: ${app?.status ?? app?.errorMessage ?? app?.error ?? ''}`);
    },
  };
}

/** Overrides for Start Public Tunnel (tests, automation), over the settings. */
export interface TunnelOverrides {
  program?: 'cloudflared' | 'ngrok' | 'command';
  command?: string;
  programPath?: string;
}

/** The tunnel to run, from the settings (user settings only: a workspace cannot choose a program to run). */
export function tunnelFromSettings(overrides: TunnelOverrides = {}): { spec: TunnelSpec; programPath?: string } {
  const program = overrides.program ?? readSetting<string>(SettingKeys.tunnelProgram) ?? 'cloudflared';
  const programPath = (overrides.programPath ?? readSetting<string>(SettingKeys.tunnelProgramPath) ?? '').trim() || undefined;
  if (program === 'command') {
    const command = (overrides.command ?? readSetting<string>(SettingKeys.tunnelCommand) ?? '').trim();
    if (!command) {
      throw new Error('s3Hooks.tunnel.program is "command" but s3Hooks.tunnel.command is empty: give a command line with ${port} in it.');
    }
    return { spec: parseTunnelSpec(command), programPath };
  }
  return { spec: parseTunnelSpec(program), programPath };
}
