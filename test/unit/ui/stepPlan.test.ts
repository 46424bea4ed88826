import * as assert from 'node:assert/strict';
import { StepPlan } from '../../../src/ui/stepPlan';

describe('StepPlan (wizard step numbers)', () => {
  it('numbers the steps shown now and counts them', () => {
    let analytics = true;
    const plan = new StepPlan([{ name: 'vendor' }, { name: 'bucket' }, { name: 'sections', when: () => analytics }, { name: 'expiry' }]);
    assert.deepEqual(plan.at('expiry'), { step: 4, totalSteps: 4 });
    analytics = false;
    assert.deepEqual(plan.at('expiry'), { step: 3, totalSteps: 3 });
    assert.throws(() => plan.number('sections'), /"sections" is not part of the flow now/);
  });
});
