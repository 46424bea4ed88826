import type * as vscode from 'vscode';
import { analyticsSections, deliveryFormats, type DeliveryFormat } from '../core/presign/contentTypes';
import { planVoiceBaseCallbacks, type VoiceBaseCallbackOptions } from '../core/presign/voicebase';
import type { InputStep } from '../ui/multiStepInput';
import type { FlowState } from './flowState';
import { bucketStep, errorMessage, expiryStep, infoMessage, placeholderList, type FlowContext } from './flowSteps';

type FormatItem = vscode.QuickPickItem & { id: string; format: DeliveryFormat };

/** How a callback is remembered in the flow's answers: `analytics`, `transcript:srt`. */
function callbackId(format: DeliveryFormat): string {
  return format.variant ? `${format.type}:${format.variant}` : format.type;
}

/** True when the answers include the analytics callback (which adds the sections step). */
export function hasAnalytics(state: FlowState): boolean {
  return state.callbacks.includes('analytics');
}

/** The VoiceBase options the flow's answers describe. */
export function voiceBaseOptions(state: FlowState, id: string): VoiceBaseCallbackOptions {
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

/** Bucket → callbacks → (analytics sections) → key template → expiry → role. */
export function voiceBaseSteps(flow: FlowContext): InputStep {
  const { state, title, id, plan } = flow;

  const role: InputStep = async (input) => {
    state.role = (
      await input.text({
        title,
        ...plan.at('role'),
        value: state.role,
        prompt: 'Optional: an IAM role ARN VoiceBase assumes (added as "role" to every callback). Leave empty when the presigned URLs suffice.',
        placeholder: 'arn:aws:iam::123456789012:role/s3-delivery-role',
        validate: (v) => {
          if (v.trim() === '') {
            return undefined;
          }
          try {
            planVoiceBaseCallbacks({ ...voiceBaseOptions(state, id), role: v.trim() }, new Date(), id);
            return undefined;
          } catch (err) {
            return errorMessage((err as Error).message);
          }
        },
      })
    ).trim();
  };
  const expiry = expiryStep(flow, true, role);
  const keyTemplate: InputStep = async (input) => {
    state.keyTemplate = await input.text({
      title,
      ...plan.at('keyTemplate'),
      value: state.keyTemplate,
      prompt: `Key template. Placeholders: ${placeholderList}. Keep {name} (or {type}, {format} and {ext}) so the callbacks' keys differ.`,
      validate: (v) => {
        try {
          const keys = planVoiceBaseCallbacks({ ...voiceBaseOptions(state, id), keyTemplate: v, role: undefined }, new Date(), id).map((p) => p.key);
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
      ...plan.at('sections'),
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
      ...plan.at('callbacks'),
      items,
      placeholder: 'Results to deliver: one callback (and one presigned URL) each',
      chosen: items.filter((i) => state.callbacks.includes(i.id)),
    });
    state.callbacks = picked.map((p) => p.id);
    return hasAnalytics(state) ? sections : keyTemplate;
  };
  return bucketStep(flow, callbacks);
}
