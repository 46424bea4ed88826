import * as vscode from 'vscode';

/** Reveals a file in the Explorer when it is in the workspace, else in the operating system's file manager. */
export async function revealFile(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  } else {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  }
}

/** Opens a file in VS Code (binary files get VS Code's own "open anyway" choice). */
export async function openFile(path: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path));
}
