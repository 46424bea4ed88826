import { randomUUID } from 'node:crypto';
import { singleUploadFromArgs, type CreatePresignedPutArgs } from '../core/presign/commandArgs';
import { MultiStepInput } from '../ui/multiStepInput';
import { StepPlan } from '../ui/stepPlan';
import { initialFlowState, presignDefaults } from './flowState';
import { singleSteps, type PresignStep } from './flowSteps';
import type { LastAnswersStore } from './lastAnswers';
import type { PresignSigner } from './presignSigner';
import type { PresignCommandResult } from './resultPresenter';

/** `S3 Hooks: Create Presigned PUT URL`: bucket → Content-Type → key → expiry, or an argument object. */
export async function createPresignedPut(
  signer: PresignSigner,
  answers: LastAnswersStore,
  args?: CreatePresignedPutArgs,
): Promise<PresignCommandResult | undefined> {
  if (args) {
    return signer.single(() => singleUploadFromArgs(args, presignDefaults()));
  }
  const state = initialFlowState(answers.get());
  const id = randomUUID();
  const plan = new StepPlan<PresignStep>([{ name: 'bucket' }, { name: 'contentType' }, { name: 'key' }, { name: 'expiry' }]);
  if (!(await MultiStepInput.run(singleSteps({ state, id, plan, title: 'S3 Hooks: Create Presigned PUT URL' })))) {
    return undefined;
  }
  await answers.update({ bucket: state.bucket, key: state.key, contentType: state.contentType, expiresIn: state.expiresIn });
  return signer.single(() => ({ bucket: state.bucket, key: state.key, contentType: state.contentType || undefined, expiresIn: state.expiresIn, id }));
}
