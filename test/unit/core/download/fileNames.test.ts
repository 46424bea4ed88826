import * as assert from 'node:assert/strict';
import { fileNameFromContentDisposition, numberedName, sanitizeFileName } from '../../../../src/core/download';

describe('file names', () => {
  it('keeps ordinary names, including spaces and Unicode', () => {
    assert.equal(sanitizeFileName('report 2024.csv'), 'report 2024.csv');
    assert.equal(sanitizeFileName('отчёт.json'), 'отчёт.json');
  });

  it('takes the last path segment of keys and paths, never a parent or root', () => {
    assert.equal(sanitizeFileName('a/b/c.txt'), 'c.txt');
    assert.equal(sanitizeFileName('../../x'), 'x');
    assert.equal(sanitizeFileName('/etc/passwd'), 'passwd');
    assert.equal(sanitizeFileName('..\\..\\boot.ini'), 'boot.ini');
    assert.equal(sanitizeFileName('dir/'), 'dir');
  });

  it('falls back when nothing usable is left', () => {
    assert.equal(sanitizeFileName('..'), 'download');
    assert.equal(sanitizeFileName('...', 'event-1-result'), 'event-1-result');
    assert.equal(sanitizeFileName(undefined, '../evil'), 'evil');
    assert.equal(sanitizeFileName(''), 'download');
  });

  it('prefixes Windows device names and strips reserved and control characters', () => {
    assert.equal(sanitizeFileName('con'), '_con');
    assert.equal(sanitizeFileName('LPT1.log'), '_LPT1.log');
    assert.equal(sanitizeFileName('a<b>c:d*e?f|g"h.txt'), 'a_b_c_d_e_f_g_h.txt');
    assert.equal(sanitizeFileName('bell\u0007tab\ttext.txt'), 'belltabtext.txt');
    assert.equal(sanitizeFileName('trailing dots...'), 'trailing dots');
  });

  it('caps the length at 200 UTF-8 bytes and keeps the extension', () => {
    const long = sanitizeFileName('я'.repeat(300) + '.json');
    assert.ok(Buffer.byteLength(long) <= 200, `${Buffer.byteLength(long)} bytes`);
    assert.ok(long.endsWith('я.json'));
  });

  it('numbers duplicates before the extension', () => {
    assert.equal(numberedName('a.tar', 1), 'a (1).tar');
    assert.equal(numberedName('README', 2), 'README (2)');
    assert.equal(numberedName('.env', 1), '.env (1)');
  });

  it('reads Content-Disposition names (filename* preferred), ignores garbage', () => {
    assert.equal(fileNameFromContentDisposition('attachment; filename="plain.txt"'), 'plain.txt');
    assert.equal(fileNameFromContentDisposition("attachment; filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC.txt"), '€.txt');
    assert.equal(fileNameFromContentDisposition('inline'), undefined);
    assert.equal(fileNameFromContentDisposition('%%%;;;=='), undefined);
    assert.equal(fileNameFromContentDisposition(undefined), undefined);
  });
});
