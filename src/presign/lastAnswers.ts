import type * as vscode from 'vscode';

/** workspaceState key under which the presign flows remember their last answers. */
export const lastAnswersStateKey = 's3Hooks.presign.lastAnswers';

/** The answers of the last completed flow, per workspace: the next run is a few Enter presses. */
export interface LastAnswers {
  vendor?: 'voicebase' | 'generic';
  bucket?: string;
  /** Key (template) of the single-URL flow. */
  key?: string;
  /** Content-Type of the single-URL flow; '' means "none signed". */
  contentType?: string;
  /** Key template of the callback flow. */
  keyTemplate?: string;
  /** Chosen callbacks as `type` or `type:variant` (e.g. `transcript:srt`). */
  callbacks?: string[];
  include?: string[];
  expiresIn?: number;
  role?: string;
}

/** Reads and updates the remembered answers (plain JSON in workspaceState). */
export class LastAnswersStore {
  constructor(private readonly state: vscode.Memento) {}

  get(): LastAnswers {
    const value = this.state.get<LastAnswers | undefined>(lastAnswersStateKey);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }

  async update(answers: Partial<LastAnswers>): Promise<void> {
    await this.state.update(lastAnswersStateKey, { ...this.get(), ...answers });
  }
}
