import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import {
  analyticsSections,
  contentTypeProblem,
  defaultAnalyticsSections,
  deliveryFormats,
  knownContentTypes,
  type DeliveryFormat,
} from '../core/presign/contentTypes';
import { describeDuration, expiryPresets, maxExpirySeconds, parseExpiry, vendorRetryWindowSeconds } from '../core/presign/expiry';
import { defaultKeyTemplate, keyTemplatePlaceholders } from '../core/presign/keyTemplate';
import { PresignError } from '../core/presign/upload';
import { buildSingleUpload, singleUploadKey, type SingleUploadOptions } from '../core/presign/singleUpload';
import { buildVoiceBaseCallbacks, planVoiceBaseCallbacks, type VoiceBaseCallbackOptions } from '../core/presign/voicebase';
import { redactUrlsInText } from '../core/redact';
import { bucketNameProblem } from '../core/s3/names';
import { s3ConnectionFor } from '../s3/s3Connection';
import { readSetting, SettingKeys, SettingsSection } from '../settings';
import { MultiStepInput, type InputStep } from '../ui/multiStepInput';
import { LastAnswersStore, type LastAnswers } from './lastAnswers';
import { presentPresignResult, type PresignCommandResult } from './resultPresenter';

/** The argument form of `S3 Hooks: Create Presigned PUT URL` (no UI). Missing fields come from settings. */
export interface CreatePresignedPutArgs {
  bucket?: string;
  /** A key, or a key template ({date}, {time}, {timestamp}, {id}, {uuid}, {ext}). Default: the key template setting. */
  key?: string;
  /** Content-Type to sign; omitted, null or '' signs none. */
  contentType?: string | null;
  /** Seconds, or a duration like "36h". Default: the expiry setting. */
  expiresIn?: number | string;
  /** ISO 8601 instant to sign at (reproducible output). */
  signingDate?: string;
  /** The value of {id}/{uuid}. */
  id?: string;
}

/** The argument form of `S3 Hooks: Create Callback JSON…` (no UI). */
export interface CreateCallbackJsonArgs extends CreatePresignedPutArgs {
  /** `voicebase` (default) or `generic` (the single-URL form, as Create Presigned PUT URL). */
  vendor?: 'voicebase' | 'generic';
  keyTemplate?: string;
  /** An analytics callback; `true` for the default sections. */
  analytics?: boolean | { include?: string[] };
  /** One transcript callback per format. */
  transcript?: string[];
  /** One media callback per stream. */
  media?: string[];
  role?: string;
}

const errorMessage = (message: string | undefined): vscode.InputBoxValidationMessage | undefined =>
  message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
const infoMessage = (message: string): vscode.InputBoxValidationMessage => ({ message, severity: vscode.InputBoxValidationSeverity.Info });

type FormatItem = vscode.QuickPickItem & { id: string; format: DeliveryFormat };
type ValueItem<T> = vscode.QuickPickItem & { value?: T };

function callbackId(format: DeliveryFormat): string {
  return format.variant ? `${format.type}:${format.variant}` : format.type;
}

/** What the flows collect; starts from the last answers and the settings. */
interface FlowState {
  bucket: string;
  key: string;
  keyTemplate: string;
  /** undefined: not asked yet; '': none signed. */
  contentType?: string;
  callbacks: string[];
  include: string[];
  expiresIn: number;
  role: string;
}

const placeholderList = Object.keys(keyTemplatePlaceholders)
  .map((p) => `{${p}}`)
  .join(' ');

/**
 * The two create commands: a multi-step flow (or an argument object), then
 * core's presigner, then the result as an untitled JSON document.
 */
export class PresignCommands {
  private readonly answers: LastAnswersStore;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.answers = new LastAnswersStore(context.workspaceState);
  }

  /** The resource whose settings apply: the active editor's file, else the first workspace folder. */
  private scope(): vscode.Uri | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && vscode.workspace.getWorkspaceFolder(active)) {
      return active;
    }
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  private initialState(last: LastAnswers): FlowState {
    const scope = this.scope();
    const template = readSetting<string>(SettingKeys.presignKeyTemplate, scope) || defaultKeyTemplate;
    const expiry = readSetting<number>(SettingKeys.presignExpirySeconds, scope) ?? 86_400;
    return {
      bucket: last.bucket ?? (readSetting<string>(SettingKeys.presignDefaultBucket, scope) || ''),
      key: last.key ?? template,
      keyTemplate: last.keyTemplate ?? template,
      contentType: last.contentType,
      callbacks: last.callbacks ?? ['analytics', 'transcript:json'],
      include: last.include ?? [...defaultAnalyticsSections],
      expiresIn: last.expiresIn ?? (Number.isInteger(expiry) && expiry >= 1 && expiry <= maxExpirySeconds ? expiry : 86_400),
      role: last.role ?? '',
    };
  }

  // ---- commands -------------------------------------------------------------------------------

  /** `S3 Hooks: Create Presigned PUT URL`. */
  async createPresignedPut(args?: CreatePresignedPutArgs): Promise<PresignCommandResult | undefined> {
    if (args) {
      return this.guard(async () => this.signSingle(this.singleFromArgs(args)));
    }
    const state = this.initialState(this.answers.get());
    const id = randomUUID();
    const title = 'S3 Hooks: Create Presigned PUT URL';
    if (!(await MultiStepInput.run(this.singleSteps(state, id, title, 0, 4)))) {
      return undefined;
    }
    await this.answers.update({ bucket: state.bucket, key: state.key, contentType: state.contentType, expiresIn: state.expiresIn });
    return this.guard(() =>
      this.signSingle({ bucket: state.bucket, key: state.key, contentType: state.contentType || undefined, expiresIn: state.expiresIn, id }),
    );
  }

  /** `S3 Hooks: Create Callback JSON…`. */
  async createCallbackJson(args?: CreateCallbackJsonArgs): Promise<PresignCommandResult | undefined> {
    if (args) {
      if ((args.vendor ?? 'voicebase') === 'generic') {
        return this.guard(async () => this.signSingle(this.singleFromArgs({ ...args, key: args.key ?? args.keyTemplate })));
      }
      return this.guard(async () => this.signVoiceBase(this.voiceBaseFromArgs(args)));
    }
    const last = this.answers.get();
    const state = this.initialState(last);
    const id = randomUUID();
    const title = 'S3 Hooks: Create Callback JSON';
    let vendor: 'voicebase' | 'generic' = last.vendor ?? 'voicebase';
    const vendorStep: InputStep = async (input) => {
      const items: ValueItem<'voicebase' | 'generic'>[] = [
        {
          label: 'VoiceBase v3',
          value: 'voicebase',
          description: 'publish.callbacks',
          detail: 'One callback per result (analytics, transcripts, media), each with its own presigned PUT URL signing the Content-Type VoiceBase sends.',
        },
        {
          label: 'Generic single URL',
          value: 'generic',
          description: '{ url, method, headers, expiresAt }',
          detail: 'One presigned PUT URL with the method and headers the uploader must use.',
        },
      ];
      const picked = await input.pickOne({
        title,
        step: 1,
        totalSteps: vendor === 'voicebase' ? 7 : 5,
        items,
        placeholder: 'Which vendor format?',
        chosen: items.filter((i) => i.value === vendor),
      });
      vendor = picked.value ?? 'voicebase';
      return vendor === 'voicebase' ? this.voiceBaseSteps(state, id, title) : this.singleSteps(state, id, title, 1, 5);
    };
    if (!(await MultiStepInput.run(vendorStep))) {
      return undefined;
    }
    if (vendor === 'generic') {
      await this.answers.update({ vendor, bucket: state.bucket, key: state.key, contentType: state.contentType, expiresIn: state.expiresIn });
      return this.guard(() =>
        this.signSingle({ bucket: state.bucket, key: state.key, contentType: state.contentType || undefined, expiresIn: state.expiresIn, id }),
      );
    }
    await this.answers.update({
      vendor,
      bucket: state.bucket,
      keyTemplate: state.keyTemplate,
      callbacks: state.callbacks,
      include: state.include,
      expiresIn: state.expiresIn,
      role: state.role,
    });
    return this.guard(() => this.signVoiceBase(this.voiceBaseOptions(state, id)));
  }

  // ---- argument objects -----------------------------------------------------------------------

  private argExpiry(value: number | string | undefined, fallback: number): number {
    if (value === undefined) {
      return fallback;
    }
    try {
      return parseExpiry(String(value));
    } catch (err) {
      throw new PresignError((err as Error).message, 'badInput');
    }
  }

  private argDate(value: string | undefined): Date | undefined {
    if (value === undefined) {
      return undefined;
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      throw new PresignError(`signingDate "${value}" is not an ISO 8601 instant.`, 'badInput');
    }
    return date;
  }

  private singleFromArgs(args: CreatePresignedPutArgs): SingleUploadOptions {
    const defaults = this.initialState({});
    return {
      bucket: args.bucket ?? defaults.bucket,
      key: args.key ?? defaults.keyTemplate,
      contentType: args.contentType || undefined,
      expiresIn: this.argExpiry(args.expiresIn, defaults.expiresIn),
      signingDate: this.argDate(args.signingDate),
      id: args.id,
    };
  }

  private voiceBaseFromArgs(args: CreateCallbackJsonArgs): VoiceBaseCallbackOptions {
    const defaults = this.initialState({});
    return {
      bucket: args.bucket ?? defaults.bucket,
      keyTemplate: args.keyTemplate ?? args.key ?? defaults.keyTemplate,
      analytics: args.analytics ? { include: typeof args.analytics === 'object' ? args.analytics.include : undefined } : undefined,
      transcriptFormats: args.transcript,
      mediaStreams: args.media,
      role: args.role || undefined,
      expiresIn: this.argExpiry(args.expiresIn, defaults.expiresIn),
      signingDate: this.argDate(args.signingDate),
      id: args.id,
    };
  }

  private voiceBaseOptions(state: FlowState, id: string): VoiceBaseCallbackOptions {
    const chosen = deliveryFormats.filter((f) => state.callbacks.includes(callbackId(f)));
    return {
      bucket: state.bucket,
      keyTemplate: state.keyTemplate,
      analytics: chosen.some((f) => f.type === 'analytics') ? { include: state.include } : undefined,
      transcriptFormats: chosen.filter((f) => f.type === 'transcript').map((f) => f.variant!),
      mediaStreams: chosen.filter((f) => f.type === 'media').map((f) => f.variant!),
      role: state.role || undefined,
      expiresIn: state.expiresIn,
      id,
    };
  }

  // ---- signing and results --------------------------------------------------------------------

  private async connection() {
    return s3ConnectionFor(this.context.secrets, this.scope());
  }

  private async signSingle(options: SingleUploadOptions): Promise<PresignCommandResult> {
    const connection = await this.connection();
    const result = await this.withProgress(() => buildSingleUpload(connection, options));
    const u = result.upload;
    return presentPresignResult(
      'Presigned PUT URL',
      result.json,
      [{ label: 'upload', bucket: u.bucket, key: u.key, url: u.url, headers: u.headers, expiresAt: u.expiresAt, curl: result.curl }],
      result.warnings,
      this.log,
    );
  }

  private async signVoiceBase(options: VoiceBaseCallbackOptions): Promise<PresignCommandResult> {
    const connection = await this.connection();
    const result = await this.withProgress(() => buildVoiceBaseCallbacks(connection, options));
    return presentPresignResult(
      'VoiceBase callback JSON',
      result.json,
      result.callbacks.map((c) => ({
        label: c.label,
        bucket: c.upload.bucket,
        key: c.key,
        url: c.upload.url,
        headers: c.upload.headers,
        expiresAt: c.upload.expiresAt,
        curl: c.curl,
      })),
      result.warnings,
      this.log,
    );
  }

  private withProgress<T>(task: () => Promise<T>): Thenable<T> {
    // Resolving credentials can take a while (SSO, instance metadata): show that something happens.
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'S3 Hooks: signing…' }, task);
  }

  /** Runs a signing step; a failure is shown (with a way out for missing credentials) and logged, not thrown. */
  private async guard(task: () => Promise<PresignCommandResult>): Promise<PresignCommandResult | undefined> {
    try {
      return await task();
    } catch (err) {
      const message = redactUrlsInText(err instanceof Error ? err.message : String(err));
      this.log.error(`Presigning failed: ${message}`);
      if (err instanceof PresignError && err.kind === 'credentials') {
        const setKeys = 'Set S3 Access Keys…';
        const settings = 'Open Settings';
        void vscode.window
          .showErrorMessage(`${message} Save keys with "S3 Hooks: Set S3 Access Keys…", or choose a profile in the s3Hooks.aws.profile setting.`, setKeys, settings)
          .then((choice) => {
            if (choice === setKeys) {
              void vscode.commands.executeCommand(CommandIds.setAccessKeys);
            } else if (choice === settings) {
              void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:s3-hooks.s3-hooks ${SettingsSection}.`);
            }
          });
      } else {
        void vscode.window.showErrorMessage(err instanceof PresignError ? message : `Could not create the presigned URL: ${message}`);
      }
      return undefined;
    }
  }

  // ---- flows ----------------------------------------------------------------------------------

  private bucketStep(state: FlowState, title: string, step: number, total: () => number, next: InputStep): InputStep {
    return async (input) => {
      const value = await input.text({
        title,
        step,
        totalSteps: total(),
        value: state.bucket,
        prompt: 'Bucket to upload into. Region, endpoint and credentials come from the S3 Hooks settings and secret storage.',
        placeholder: 'my-results-bucket',
        validate: (v) => errorMessage(bucketNameProblem(v.trim())),
      });
      state.bucket = value.trim();
      return next;
    };
  }

  private expiryStep(state: FlowState, title: string, step: number, total: () => number, forVendor: boolean, next?: InputStep): InputStep {
    return async (input) => {
      const items: ValueItem<number>[] = expiryPresets.map((p) => ({
        label: p.label,
        value: p.seconds,
        description: `${p.seconds} s`,
        detail:
          forVendor && p.seconds < vendorRetryWindowSeconds
            ? "Shorter than VoiceBase's ~16-hour retry window: a retried delivery may be refused."
            : p.seconds === 86_400
              ? 'Usual for vendor callbacks: the job plus the vendor\'s retries.'
              : p.seconds === maxExpirySeconds
                ? 'The longest a SigV4 presigned URL can live.'
                : undefined,
      }));
      if (!expiryPresets.some((p) => p.seconds === state.expiresIn)) {
        items.unshift({ label: describeDuration(state.expiresIn), value: state.expiresIn, description: `${state.expiresIn} s · last used` });
      }
      items.push({ label: 'Custom…', description: 'seconds, or 90m, 36h, 7d (at most 7 days)' });
      const picked = await input.pickOne({
        title,
        step,
        totalSteps: total(),
        items,
        placeholder: 'How long should the URL work?',
        chosen: items.filter((i) => i.value === state.expiresIn),
      });
      if (picked.value !== undefined) {
        state.expiresIn = picked.value;
      } else {
        const text = await input.text({
          title,
          step,
          totalSteps: total(),
          value: String(state.expiresIn),
          prompt: 'Expiry in seconds, or with a unit: 90m, 36h, 7d. At most 604800 seconds (7 days).',
          validate: (v) => {
            try {
              const seconds = parseExpiry(v);
              return forVendor && seconds < vendorRetryWindowSeconds
                ? infoMessage(`${describeDuration(seconds)}: shorter than VoiceBase's ~16-hour retry window.`)
                : infoMessage(describeDuration(seconds));
            } catch (err) {
              return errorMessage((err as Error).message);
            }
          },
        });
        state.expiresIn = parseExpiry(text);
      }
      return next;
    };
  }

  /** Bucket → Content-Type → key → expiry. `first` steps come before (the vendor pick). */
  private singleSteps(state: FlowState, id: string, title: string, first: number, total: number): InputStep {
    const totalSteps = () => total;
    const expiry = this.expiryStep(state, title, first + 4, totalSteps, false);
    const key: InputStep = async (input) => {
      const preview = (v: string) => {
        try {
          return infoMessage(`Key: ${singleUploadKey(v, state.contentType || undefined, new Date(), id)}`);
        } catch (err) {
          return errorMessage((err as Error).message);
        }
      };
      state.key = await input.text({
        title,
        step: first + 3,
        totalSteps: total,
        value: state.key,
        prompt: `Object key, or a key template with ${placeholderList}.`,
        validate: preview,
      });
      return expiry;
    };
    const contentType: InputStep = async (input) => {
      const items: ValueItem<string>[] = knownContentTypes().map((t) => ({
        label: t,
        value: t,
        description: deliveryFormats
          .filter((f) => f.contentType === t)
          .map((f) => f.label)
          .join(', '),
      }));
      items.push({ label: 'No Content-Type', value: '', description: 'not signed: any Content-Type is accepted' });
      if (state.contentType && !knownContentTypes().includes(state.contentType)) {
        items.unshift({ label: state.contentType, value: state.contentType, description: 'last used' });
      }
      items.push({ label: 'Other…', description: 'type a Content-Type' });
      const picked = await input.pickOne({
        title,
        step: first + 2,
        totalSteps: total,
        items,
        placeholder: 'Content-Type to sign: the uploader must send exactly this header',
        chosen: items.filter((i) => i.value === (state.contentType ?? 'application/json')),
      });
      if (picked.value !== undefined) {
        state.contentType = picked.value;
      } else {
        state.contentType = (
          await input.text({
            title,
            step: first + 2,
            totalSteps: total,
            value: state.contentType ?? '',
            prompt: 'Content-Type to sign, for example application/json',
            validate: (v) => errorMessage(contentTypeProblem(v)),
          })
        ).trim();
      }
      return key;
    };
    return this.bucketStep(state, title, first + 1, totalSteps, contentType);
  }

  /** Bucket → callbacks → (analytics sections) → key template → expiry → role. Step 1 is the vendor pick. */
  private voiceBaseSteps(state: FlowState, id: string, title: string): InputStep {
    const hasAnalytics = () => state.callbacks.includes('analytics');
    const total = () => (hasAnalytics() ? 7 : 6);
    const offset = () => (hasAnalytics() ? 1 : 0);

    const role: InputStep = async (input) => {
      state.role = (
        await input.text({
          title,
          step: 6 + offset(),
          totalSteps: total(),
          value: state.role,
          prompt: 'Optional: an IAM role ARN VoiceBase assumes (added as "role" to every callback). Leave empty when the presigned URLs suffice.',
          placeholder: 'arn:aws:iam::123456789012:role/s3-delivery-role',
          validate: (v) => {
            if (v.trim() === '') {
              return undefined;
            }
            try {
              planVoiceBaseCallbacks({ ...this.voiceBaseOptions(state, id), role: v.trim() }, new Date(), id);
              return undefined;
            } catch (err) {
              return errorMessage((err as Error).message);
            }
          },
        })
      ).trim();
    };
    const expiry: InputStep = async (input) => {
      await this.expiryStep(state, title, 5 + offset(), total, true)(input);
      return role;
    };
    const keyTemplate: InputStep = async (input) => {
      state.keyTemplate = await input.text({
        title,
        step: 4 + offset(),
        totalSteps: total(),
        value: state.keyTemplate,
        prompt: `Key template. Placeholders: ${placeholderList}. Keep {name} (or {type}, {format} and {ext}) so the callbacks' keys differ.`,
        validate: (v) => {
          try {
            const keys = planVoiceBaseCallbacks({ ...this.voiceBaseOptions(state, id), keyTemplate: v, role: undefined }, new Date(), id).map((p) => p.key);
            return infoMessage(`Keys: ${keys.slice(0, 2).join(', ')}${keys.length > 2 ? ` and ${keys.length - 2} more` : ''}`);
          } catch (err) {
            return errorMessage((err as Error).message);
          }
        },
      });
      return expiry;
    };
    const sections: InputStep = async (input) => {
      const items = analyticsSections.map((s) => ({ label: s }));
      const picked = await input.pickMany({
        title,
        step: 4,
        totalSteps: total(),
        items,
        placeholder: 'Analytics sections to deliver ("include")',
        chosen: items.filter((i) => state.include.includes(i.label)),
      });
      state.include = picked.map((p) => p.label);
      return keyTemplate;
    };
    const callbacks: InputStep = async (input) => {
      const items: FormatItem[] = deliveryFormats.map((f) => ({ label: f.label, description: f.contentType, id: callbackId(f), format: f }));
      const picked = await input.pickMany({
        title,
        step: 3,
        totalSteps: total(),
        items,
        placeholder: 'Results to deliver: one callback (and one presigned URL) each',
        chosen: items.filter((i) => state.callbacks.includes(i.id)),
      });
      state.callbacks = picked.map((p) => p.id);
      return hasAnalytics() ? sections : keyTemplate;
    };
    return this.bucketStep(state, title, 2, total, callbacks);
  }
}
