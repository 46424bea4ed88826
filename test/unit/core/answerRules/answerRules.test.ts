import * as assert from 'node:assert/strict';
import { AnswerRules, parseAnswerRule } from '../../../../src/core/answerRules/answerRules';

describe('answer rules', () => {
  it('reads PATH_GLOB=STATUS[xCOUNT][@DELAYms]', () => {
    const r = parseAnswerRule('/retry/*=503x2');
    assert.equal(r.status, 503);
    assert.equal(r.count, 2);
    assert.equal(r.delayMs, 0);
    assert.equal(parseAnswerRule('/slow/**=200@1500ms').delayMs, 1500);
    assert.equal(parseAnswerRule('/slow=202x1@2s').delayMs, 2000);
    assert.equal(parseAnswerRule(' /a = 500 '.replace(/ /g, '')).count, undefined);
  });

  it('refuses rules that are not rules, with the syntax', () => {
    for (const bad of ['/retry/*', '/retry/*=abc', 'retry=503', '/a=503x0', '/a=99', '/a=503@5m', '/a=200@200s']) {
      assert.throws(() => parseAnswerRule(bad), Error, bad);
    }
    assert.throws(() => parseAnswerRule('/retry/*=5o3'), /PATH_GLOB=STATUS\[xCOUNT\]\[@DELAYms\]/);
  });

  it('answers the first COUNT deliveries to each matching path, then as usual', () => {
    const rules = AnswerRules.parse(['/retry/*=503x2']);
    assert.deepEqual(
      ['/retry/a', '/retry/a', '/retry/b', '/retry/a', '/retry/b', '/retry/b', '/other'].map((p) => rules.take(p)?.status),
      [503, 503, 503, undefined, 503, undefined, undefined],
    );
  });

  it('takes the first rule that still applies, in the order given', () => {
    const rules = AnswerRules.parse(['/hooks/vk=500x1', '/hooks/**=429', '']);
    assert.equal(rules.take('/hooks/vk')?.rule.text, '/hooks/vk=500x1');
    assert.equal(rules.take('/hooks/vk')?.rule.text, '/hooks/**=429');
    assert.equal(rules.take('/hooks')?.status, 429);
  });

  it('leaves confirmations alone unless a rule names their path exactly', () => {
    const rules = AnswerRules.parse(['/**=503', '/hooks/vk=500']);
    assert.equal(rules.take('/hooks/other', { confirmation: true }), undefined);
    assert.equal(rules.take('/hooks/vk', { confirmation: true })?.status, 500);
    assert.equal(rules.take('/hooks/other')?.status, 503);
  });
});
