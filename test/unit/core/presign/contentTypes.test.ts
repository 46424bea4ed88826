import * as assert from 'node:assert/strict';
import {
  contentTypeForExtension,
  contentTypeProblem,
  extensionForContentType,
  knownContentTypes,
} from '../../../../src/core/presign/contentTypes';

describe('presign Content-Types', () => {
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
