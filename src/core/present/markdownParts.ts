/**
 * A tooltip built without the vscode API: markdown pieces, and plain text pieces that the
 * VS Code layer appends with `appendText` (so names and URLs from outside never act as markdown).
 */
export type MarkdownPart = { markdown: string } | { text: string };

/** A codicon id and an optional theme color id, as a ThemeIcon takes them. */
export interface IconView {
  id: string;
  color?: string;
}
