import { randomUUID } from 'node:crypto';
import { singleUploadFromArgs, voiceBaseFromArgs, type CreateCallbackJsonArgs } from '../core/presign/commandArgs';
import { MultiStepInput, type InputStep } from '../ui/multiStepInput';
import { StepPlan } from '../ui/stepPlan';
import { initialFlowState, presignDefaults } from './flowState';
import { singleSteps, type FlowContext, type PresignStep, type ValueItem } from './flowSteps';
import type { LastAnswersStore } from './lastAnswers';
import type { PresignSigner } from './presignSigner';
import type { PresignCommandResult } from './resultPresenter';
import { hasAnalytics, voiceBaseOptions, voiceBaseSteps } from './voiceBaseSteps';

type Vendor = 'voicebase' | 'generic';

/** `S3 Hooks: Create Callback JSON…`: the vendor, then its flow; or an argument object. */
export async function createCallbackJson(
  signer: PresignSigner,
  answers: LastAnswersStore,
  args?: CreateCallbackJsonArgs,
): Promise<PresignCommandResult | undefined> {
  if (args) {
    return (args.vendor ?? 'voicebase') === 'generic'
      ? signer.single(() => singleUploadFromArgs({ ...args, key: args.key ?? args.keyTemplate }, presignDefaults()))
      : signer.voiceBase(() => voiceBaseFromArgs(args, presignDefaults()));
  }
  const state = initialFlowState(answers.get());
  const id = randomUUID();
  const generic = () => state.vendor === 'generic';
  const voiceBase = () => state.vendor === 'voicebase';
  const plan = new StepPlan<PresignStep>([
    { name: 'vendor' },
    { name: 'bucket' },
    { name: 'contentType', when: generic },
    { name: 'key', when: generic },
    { name: 'callbacks', when: voiceBase },
    { name: 'sections', when: () => voiceBase() && hasAnalytics(state) },
    { name: 'keyTemplate', when: voiceBase },
    { name: 'expiry' },
    { name: 'role', when: voiceBase },
  ]);
  const flow: FlowContext = { state, id, plan, title: 'S3 Hooks: Create Callback JSON' };
  const vendorStep: InputStep = async (input) => {
    const items: ValueItem<Vendor>[] = [
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
      title: flow.title,
      ...plan.at('vendor'),
      items,
      placeholder: 'Which vendor format?',
      chosen: items.filter((i) => i.value === state.vendor),
    });
    state.vendor = picked.value ?? 'voicebase';
    return state.vendor === 'voicebase' ? voiceBaseSteps(flow) : singleSteps(flow);
  };
  if (!(await MultiStepInput.run(vendorStep))) {
    return undefined;
  }
  if (state.vendor === 'generic') {
    await answers.update({ vendor: state.vendor, bucket: state.bucket, key: state.key, contentType: state.contentType, expiresIn: state.expiresIn });
    return signer.single(() => ({ bucket: state.bucket, key: state.key, contentType: state.contentType || undefined, expiresIn: state.expiresIn, id }));
  }
  await answers.update({
    vendor: state.vendor,
    bucket: state.bucket,
    keyTemplate: state.keyTemplate,
    callbacks: state.callbacks,
    include: state.include,
    expiresIn: state.expiresIn,
    role: state.role,
  });
  return signer.voiceBase(() => voiceBaseOptions(state, id));
}
