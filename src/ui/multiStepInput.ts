import * as vscode from 'vscode';

/**
 * A multi-step QuickPick/InputBox flow with a Back button, after
 * vscode-extension-samples' `multiStepInput.ts`. Each step is a function that
 * asks one question and returns the next step. Every input keeps focus-out
 * answers (`ignoreFocusOut`), so looking something up in another window loses
 * nothing.
 */

/** Thrown (as a rejection) out of a step when the user goes back or cancels. */
class FlowAction extends Error {
  static readonly back = new FlowAction('back');
  static readonly cancel = new FlowAction('cancel');
}

export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

interface StepOptions {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickOptions<T extends vscode.QuickPickItem> extends StepOptions {
  items: readonly T[];
  placeholder: string;
  /** Items to highlight (single pick) or pre-select (multi pick). */
  chosen?: readonly T[];
}

export interface TextOptions extends StepOptions {
  value: string;
  prompt: string;
  placeholder?: string;
  /** Hide what is typed (secrets). */
  password?: boolean;
  /**
   * Returns an error (blocks Enter), an info message (shown, Enter allowed,
   * e.g. a preview) or undefined.
   */
  validate?: (value: string) => vscode.InputBoxValidationMessage | undefined;
  /** Enter on a blank value says "Required" instead of answering (nothing is shown before that). */
  required?: boolean;
}

export class MultiStepInput {
  private current?: vscode.QuickInput;
  private readonly steps: InputStep[] = [];

  /** Runs a flow from its first step; resolves to false when the user cancelled. */
  static async run(start: InputStep): Promise<boolean> {
    return new MultiStepInput().stepThrough(start);
  }

  private async stepThrough(start: InputStep): Promise<boolean> {
    let step: InputStep | void = start;
    try {
      while (step) {
        this.steps.push(step);
        if (this.current) {
          this.current.enabled = false;
          this.current.busy = true;
        }
        try {
          step = await step(this);
        } catch (err) {
          if (err === FlowAction.back) {
            this.steps.pop();
            step = this.steps.pop();
          } else if (err === FlowAction.cancel) {
            return false;
          } else {
            throw err;
          }
        }
      }
      return true;
    } finally {
      this.previous?.dispose();
      this.current?.dispose();
    }
  }

  /** The previous step's input, disposed only once the next one is shown (see {@link ask}). */
  private previous?: vscode.QuickInput;

  private prepare(input: vscode.QuickInput, options: StepOptions): void {
    input.title = options.title;
    input.step = options.step;
    input.totalSteps = options.totalSteps;
    input.ignoreFocusOut = true;
    this.previous = this.current;
    this.current = input;
  }

  private buttons(): vscode.QuickInputButton[] {
    return this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
  }

  private ask<R>(input: vscode.QuickInput, wire: (resolve: (value: R) => void, disposables: vscode.Disposable[]) => void): Promise<R> {
    const disposables: vscode.Disposable[] = [];
    return new Promise<R>((resolve, reject) => {
      wire(resolve, disposables);
      disposables.push(
        (input as vscode.QuickPick<vscode.QuickPickItem>).onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) {
            reject(FlowAction.back);
          }
        }),
        input.onDidHide(() => reject(FlowAction.cancel)),
      );
      // Show the next step before disposing the previous one, so the quick input never closes between
      // steps. Closing it would hand focus back to what had it before (say, a walkthrough's button),
      // and the key-up of the Enter that answered the step would land there: a walkthrough step takes
      // focus on Enter's key-up and, a moment later, away from the next step's input box.
      input.show();
      this.previous?.dispose();
      this.previous = undefined;
    }).finally(() => {
      for (const d of disposables) {
        d.dispose();
      }
    });
  }

  /** Asks for one item. */
  async pickOne<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    this.prepare(pick, options);
    pick.placeholder = options.placeholder;
    pick.items = options.items;
    pick.buttons = this.buttons();
    if (options.chosen?.length) {
      pick.activeItems = options.chosen;
    }
    return this.ask<T>(pick, (resolve, disposables) => {
      disposables.push(
        pick.onDidAccept(() => {
          const item = pick.selectedItems[0] ?? pick.activeItems[0];
          if (item) {
            resolve(item);
          }
        }),
      );
    });
  }

  /** Asks for several items (at least one). */
  async pickMany<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T[]> {
    const pick = vscode.window.createQuickPick<T>();
    this.prepare(pick, options);
    pick.canSelectMany = true;
    pick.placeholder = options.placeholder;
    pick.items = options.items;
    pick.buttons = this.buttons();
    pick.selectedItems = options.chosen ?? [];
    return this.ask<T[]>(pick, (resolve, disposables) => {
      disposables.push(
        pick.onDidAccept(() => {
          if (pick.selectedItems.length > 0) {
            resolve([...pick.selectedItems]);
          } else {
            pick.placeholder = `Choose at least one. ${options.placeholder}`;
          }
        }),
      );
    });
  }

  /** Asks for a line of text, validated as it is typed. */
  async text(options: TextOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    this.prepare(box, options);
    box.value = options.value;
    box.valueSelection = undefined;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.buttons = this.buttons();
    const check = (value: string) => {
      const message = options.validate?.(value);
      box.validationMessage = message;
      return message;
    };
    check(options.value);
    return this.ask<string>(box, (resolve, disposables) => {
      disposables.push(
        box.onDidChangeValue((value) => check(value)),
        box.onDidAccept(() => {
          const message =
            options.required && box.value.trim() === '' ? { message: 'Required', severity: vscode.InputBoxValidationSeverity.Error } : check(box.value);
          box.validationMessage = message;
          if (!message || message.severity !== vscode.InputBoxValidationSeverity.Error) {
            resolve(box.value);
          }
        }),
      );
    });
  }
}
