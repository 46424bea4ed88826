/**
 * The steps of a multi-step flow in order, each shown always or while its
 * condition holds. A step's number and the total come from this one list, so
 * adding, skipping or reordering a step cannot leave "3/7" counted by hand.
 * Plain TypeScript (no vscode): unit-tested in Node.
 */
export class StepPlan<Name extends string> {
  constructor(private readonly steps: readonly { name: Name; when?: () => boolean }[]) {}

  private active(): Name[] {
    return this.steps.filter((s) => !s.when || s.when()).map((s) => s.name);
  }

  /** 1-based number of a step among the steps shown now. Throws for a step that is not shown (a bug in the flow). */
  number(name: Name): number {
    const index = this.active().indexOf(name);
    if (index < 0) {
      throw new Error(`The step "${name}" is not part of the flow now.`);
    }
    return index + 1;
  }

  /** How many steps are shown now. */
  total(): number {
    return this.active().length;
  }

  /** `{ step, totalSteps }` for a step, as QuickInput wants them. */
  at(name: Name): { step: number; totalSteps: number } {
    return { step: this.number(name), totalSteps: this.total() };
  }
}
