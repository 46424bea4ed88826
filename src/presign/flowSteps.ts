import * as vscode from 'vscode';
import { contentTypeProblem, deliveryFormats, knownContentTypes } from '../core/presign/contentTypes';
import { describeDuration, expiryPresets, maxExpirySeconds, parseExpiry, vendorRetryWindowSeconds } from '../core/presign/expiry';
import { keyTemplatePlaceholders } from '../core/presign/keyTemplate';
import { singleUploadKey } from '../core/presign/singleUpload';
import { bucketNameProblem } from '../core/s3/names';
import type { InputStep } from '../ui/multiStepInput';
import type { StepPlan } from '../ui/stepPlan';
import type { FlowState } from './flowState';

/** Every step either create flow may show; each flow's StepPlan lists the ones it uses, in order. */
export type PresignStep = 'vendor' | 'bucket' | 'contentType' | 'key' | 'callbacks' | 'sections' | 'keyTemplate' | 'expiry' | 'role';

/** What every step needs: the answers so far, the title, and the plan that numbers it. */
export interface FlowContext {
  state: FlowState;
  title: string;
  plan: StepPlan<PresignStep>;
  /** The run id for {id}/{uuid} previews. */
  id: string;
}

export type ValueItem<T> = vscode.QuickPickItem & { value?: T };

export const errorMessage = (message: string | undefined): vscode.InputBoxValidationMessage | undefined =>
  message ? { message, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
export const infoMessage = (message: string): vscode.InputBoxValidationMessage => ({ message, severity: vscode.InputBoxValidationSeverity.Info });

export const placeholderList = Object.keys(keyTemplatePlaceholders)
  .map((p) => `{${p}}`)
  .join(' ');

export function bucketStep(flow: FlowContext, next: InputStep): InputStep {
  return async (input) => {
    const value = await input.text({
      title: flow.title,
      ...flow.plan.at('bucket'),
      value: flow.state.bucket,
      prompt: 'Bucket to upload into. Region, endpoint and credentials come from the S3 Hooks settings and secret storage.',
      placeholder: 'my-results-bucket',
      validate: (v) => errorMessage(bucketNameProblem(v.trim())),
    });
    flow.state.bucket = value.trim();
    return next;
  };
}

/** How long the URLs live: presets, the last answer, or a typed duration. `forVendor` warns below VoiceBase's retry window. */
export function expiryStep(flow: FlowContext, forVendor: boolean, next?: InputStep): InputStep {
  const { state, title } = flow;
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
      ...flow.plan.at('expiry'),
      items,
      placeholder: 'How long should the URL work?',
      chosen: items.filter((i) => i.value === state.expiresIn),
    });
    if (picked.value !== undefined) {
      state.expiresIn = picked.value;
    } else {
      const text = await input.text({
        title,
        ...flow.plan.at('expiry'),
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

/** The Content-Type to sign: the table's types, none, or a typed one. */
export function contentTypeStep(flow: FlowContext, next: InputStep): InputStep {
  const { state, title } = flow;
  return async (input) => {
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
      ...flow.plan.at('contentType'),
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
          ...flow.plan.at('contentType'),
          value: state.contentType ?? '',
          prompt: 'Content-Type to sign, for example application/json',
          validate: (v) => errorMessage(contentTypeProblem(v)),
        })
      ).trim();
    }
    return next;
  };
}

/** The object key (or key template) of a single URL, previewed as it will expand. */
export function keyStep(flow: FlowContext, next: InputStep): InputStep {
  const { state, title, id } = flow;
  return async (input) => {
    const preview = (v: string) => {
      try {
        return infoMessage(`Key: ${singleUploadKey(v, state.contentType || undefined, new Date(), id)}`);
      } catch (err) {
        return errorMessage((err as Error).message);
      }
    };
    state.key = await input.text({
      title,
      ...flow.plan.at('key'),
      value: state.key,
      prompt: `Object key, or a key template with ${placeholderList}.`,
      validate: preview,
    });
    return next;
  };
}

/** Bucket → Content-Type → key → expiry: the single-URL form. */
export function singleSteps(flow: FlowContext): InputStep {
  return bucketStep(flow, contentTypeStep(flow, keyStep(flow, expiryStep(flow, false))));
}
