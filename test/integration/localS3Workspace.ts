import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/commandIds';
import { SettingsSection } from '../../src/settings';
import { localS3Keys, startLocalS3, type LocalS3 } from '../support/localS3';

// The S3 settings a suite points at its own local S3 server, restored afterwards.
const s3Settings = ['s3.endpoint', 's3.forcePathStyle', 's3.region'] as const;

/**
 * A suite's S3, as a user with a local MinIO-like server has it: a SigV4-verifying server started
 * in the extension host, the workspace's S3 settings and stored keys pointed at it, and everything
 * undone by {@link LocalS3Workspace.stop} (the documents the suite opened are reverted and closed).
 */
export class LocalS3Workspace {
  /** Documents the suite opened; reverted and closed when it stops. */
  readonly opened: vscode.Uri[] = [];
  private readonly saved = new Map<string, unknown>();
  private server?: LocalS3;

  get s3(): LocalS3 {
    assert.ok(this.server, 'the local S3 is started in the suite\'s before hook');
    return this.server;
  }

  async start(buckets: string[]): Promise<void> {
    this.server = await startLocalS3(buckets);
    const config = vscode.workspace.getConfiguration(SettingsSection);
    for (const key of s3Settings) {
      this.saved.set(key, config.inspect(key)?.workspaceValue);
    }
    await config.update('s3.endpoint', this.server.endpoint, vscode.ConfigurationTarget.Workspace);
    await config.update('s3.forcePathStyle', true, vscode.ConfigurationTarget.Workspace);
    await config.update('s3.region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand(CommandIds.setAccessKeys, { ...localS3Keys }), true);
  }

  async stop(): Promise<void> {
    for (const uri of this.opened) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
    await vscode.commands.executeCommand(CommandIds.clearAccessKeys);
    const config = vscode.workspace.getConfiguration(SettingsSection);
    for (const key of s3Settings) {
      await config.update(key, this.saved.get(key), vscode.ConfigurationTarget.Workspace);
    }
    await this.server?.close();
  }
}
