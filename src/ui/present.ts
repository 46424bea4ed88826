import * as vscode from 'vscode';
import type { IconView, MarkdownPart } from '../core/present/markdownParts';

/** A presentation module's icon as a ThemeIcon. */
export function themeIcon(icon: IconView): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

/** Markdown and plain-text parts as one MarkdownString (codicons on; text parts escaped by appendText). */
export function toMarkdownString(parts: readonly MarkdownPart[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  for (const part of parts) {
    if ('markdown' in part) {
      md.appendMarkdown(part.markdown);
    } else {
      md.appendText(part.text);
    }
  }
  return md;
}
