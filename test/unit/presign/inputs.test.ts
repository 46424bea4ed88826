import * as assert from 'node:assert/strict';
import {
  contentTypeForExtension,
  contentTypeProblem,
  extensionForContentType,
  knownContentTypes,
} from '../../../src/core/presign/contentTypes';
import { describeDuration, expiryProblem, parseExpiry } from '../../../src/core/presign/expiry';
import { expandKeyTemplate, runValues } from '../../../src/core/presign/keyTemplate';
import { singleUploadKey } from '../../../src/core/presign/singleUpload';

describe('presign inputs (expiry, key templates, Content-Types)', () => {
  it('parses expiries as seconds or with a unit, and rejects the rest with a message', () => {
    assert.equal(parseExpiry('86400'), 86_400);
    assert.equal(parseExpiry(' 90m '), 5400);
    assert.equal(parseExpiry('36h'), 129_600);
    assert.equal(parseExpiry('7d'), 604_800);
    assert.equal(parseExpiry('1.5h'), 5400);
    assert.throws(() => parseExpiry('8d'), /at most 604800 seconds \(7 days\).*got 691200 \(8 days\)/);
    assert.throws(() => parseExpiry('0'), /at least 1 second/);
    assert.throws(() => parseExpiry('tomorrow'), /"tomorrow" is not an expiry: give seconds \(86400\) or a number with s, m, h or d/);
    assert.throws(() => parseExpiry('0.5s'), /whole number of seconds/);
    assert.equal(expiryProblem(604_800), undefined);
    assert.equal(describeDuration(3600), '1 hour');
    assert.equal(describeDuration(90), '90 seconds');
  });

  it('expands run placeholders from the signing instant and id', () => {
    const values = runValues(new Date('2026-12-31T23:59:58.999Z'), 'abc');
    assert.deepEqual(values, { date: '2026-12-31', time: '235958', timestamp: '20261231T235958Z', id: 'abc', uuid: 'abc' });
    assert.equal(expandKeyTemplate('a/{date}/{id}-{uuid}', values), 'a/2026-12-31/abc-abc');
    assert.throws(() => expandKeyTemplate('a/{type}', values), /placeholder \{type\} has no value here/);
  });

  it('single-URL keys: {ext} follows the Content-Type; a literal key passes unchanged', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    assert.equal(singleUploadKey('in/{date}/{id}/{name}.{ext}', 'text/vtt', at, 'x1'), 'in/2026-01-02/x1/upload.vtt');
    assert.equal(singleUploadKey('in/{name}.{ext}', undefined, at, 'x1'), 'in/upload.bin');
    assert.equal(singleUploadKey('plain/key.json', 'application/json', at, 'x1'), 'plain/key.json');
    assert.throws(() => singleUploadKey('{nope}', undefined, at, 'x1'), /Unknown placeholder \{nope\}/);
  });

  it('maps extensions and Content-Types through the one table, and checks custom Content-Types', () => {
    assert.equal(contentTypeForExtension('.SRT'), 'text/srt');
    assert.equal(contentTypeForExtension('vtt'), 'text/vtt');
    assert.equal(contentTypeForExtension('mp3'), undefined);
    assert.equal(extensionForContentType('application/ttaf+xml'), 'dfxp');
    assert.equal(extensionForContentType('text/plain; charset=utf-8'), 'txt');
    assert.deepEqual(knownContentTypes(), ['application/json', 'text/plain', 'text/srt', 'application/ttaf+xml', 'text/vtt', 'application/octet-stream']);
    assert.equal(contentTypeProblem('text/plain; charset=utf-8'), undefined);
    assert.equal(contentTypeProblem('application/vnd.api+json'), undefined);
    assert.match(contentTypeProblem('text plain') ?? '', /not a Content-Type/);
    assert.match(contentTypeProblem('text/plain\r\nX-Evil: 1') ?? '', /line break/);
  });
});
