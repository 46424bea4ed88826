import * as assert from 'node:assert/strict';
import type { DownloadEntry } from '../../../src/core/download/downloadEntry';
import { contextValueFor, describeEntry, downloadItemView, tooltipParts } from '../../../src/recentDownloads/recentDownloadsPresentation';

const started = '2026-12-01T10:00:00.000Z';
const now = Date.parse('2026-12-01T10:05:00.000Z');

function entry(patch: Partial<DownloadEntry>): DownloadEntry {
  return { id: 'd1', status: 'done', fileName: 'analysis.json', targetFolder: '/w/s3-downloads', bytes: 2048, shape: 'presignedUrl', sourceLabel: 'event.json', jsonPath: ['url'], startedAt: started, ...patch };
}

describe('Recent Downloads rows (recentDownloadsPresentation, no vscode)', () => {
  it('a finished download: size and age, opens its file, menus see hasFile', () => {
    const view = downloadItemView(entry({ path: '/w/s3-downloads/analysis.json', finishedAt: '2026-12-01T10:03:00.000Z', redactedUrl: 'https://b.s3.amazonaws.com/a?X-Amz-Signature=REDACTED' }), now);
    assert.equal(view.label, 'analysis.json');
    assert.equal(view.description, '2.0 KB · 2 min ago');
    assert.equal(view.openPath, '/w/s3-downloads/analysis.json');
    assert.equal(view.contextValue, 'download.done hasUrl hasFile');
    assert.deepEqual(view.icon, { id: 'pass', color: 'testing.iconPassed' });
  });

  it('in progress: percent of the size and the rate; no click to open', () => {
    const e = entry({ status: 'inProgress', bytes: 512, total: 2048, rate: 1024 });
    assert.equal(describeEntry(e, now), '25% of 2.0 KB · 1.0 KB/s');
    assert.equal(downloadItemView(e, now).openPath, undefined);
    assert.equal(downloadItemView(e, now).icon.id, 'loading~spin');
  });

  it('failed with a part kept: resumable; expired in words', () => {
    assert.equal(contextValueFor(entry({ status: 'failed', partPath: '/w/a.part', sourceUri: 'file:///w/e.json' })), 'download.failed resumable hasSource');
    assert.equal(describeEntry(entry({ status: 'expired', finishedAt: started }), now), 'link expired · 5 min ago');
  });

  it('tooltip: names and messages from outside are text parts (never markdown), one row per known fact', () => {
    const parts = tooltipParts(entry({ status: 'failed', fileName: '**x**.json', message: 'S3 said [AccessDenied](x)', bucket: 'bkt', key: 'k' }));
    assert.deepEqual(parts.slice(0, 5), [{ markdown: '**Failed**: ' }, { text: '**x**.json' }, { markdown: '\n\n' }, { text: 'S3 said [AccessDenied](x)' }, { markdown: '\n\n' }]);
    const rows = parts.filter((p) => 'markdown' in p && p.markdown.endsWith(': ')).map((p) => ('markdown' in p ? p.markdown : ''));
    assert.deepEqual(rows.slice(1), ['Source event: ', 'Object: ', 'Size: ', 'Started: ']);
  });
});
