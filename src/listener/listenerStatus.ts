// The listener's state as the status bar, the tests and the API see it: plain data (no vscode),
// so the status bar's presentation can be unit-tested in plain Node.

/** The listener's states, as the status bar shows them. */
export enum ListenerState {
  Off = 'off',
  Starting = 'starting',
  Listening = 'listening',
  Error = 'error',
}

/** A snapshot of the listener for the status bar, the tests and the API. */
export interface ListenerStatus {
  state: ListenerState;
  /** `http://127.0.0.1:<port>/` while listening. */
  localUrl?: string;
  /** What `vscode.env.asExternalUri` makes of the local URL (a forwarded address in remote windows and code-server). */
  externalUrl?: string;
  /** The public URL setting (the tunnel address confirmations are signed over), if set. */
  publicUrl?: string;
  /** Events received since the listener started. */
  count: number;
  /** ISO time of the last event received since it started. */
  lastEventAt?: string;
  /** Why it is in the error state, and what to do. */
  error?: string;
  /** The public tunnel's URL while one runs (it is then also `publicUrl`), and what it runs (`cloudflared`…). */
  tunnelUrl?: string;
  tunnelLabel?: string;
  /** Where events are forwarded, and who answers the provider. */
  forwardTo?: string;
  answerMode?: string;
  /** `vscode.env.remoteName` (Codespaces, SSH…), when the window is remote. */
  remoteName?: string;
}
