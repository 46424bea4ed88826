import { pathGlob, type PathGlob } from '../pathGlob';

/**
 * One answer the user chose for some paths: `PATH_GLOB=STATUS[xCOUNT][@DELAYms]`,
 * e.g. `/retry/*=503x2` (the first two deliveries to each matching path get 503,
 * later ones the usual answer) or `/slow=200@1500ms` (wait 1.5 s, then 200).
 */
export interface AnswerRule {
  /** The rule as written, shown in the tree and the history ("answered by /retry/*=503x2"). */
  text: string;
  paths: PathGlob;
  status: number;
  /** How many deliveries per path get this answer; undefined = all of them. */
  count?: number;
  /** Wait this long before answering. */
  delayMs: number;
}

/** The syntax, for messages and help. */
export const answerRuleSyntax = 'PATH_GLOB=STATUS[xCOUNT][@DELAYms], e.g. /retry/*=503x2 or /slow/**=200@1500ms';

/** Longest delay accepted: beyond it the listener's own request timeout would cut the request. */
export const maxAnswerDelayMs = 110_000;

/** Reads one rule; throws with a message that names the rule and shows the syntax. */
export function parseAnswerRule(text: string): AnswerRule {
  const t = text.trim();
  const eq = t.lastIndexOf('=');
  const m = eq > 0 ? /^(\d{3})(?:x(\d+))?(?:@(\d+(?:\.\d+)?)(ms|s))?$/i.exec(t.slice(eq + 1).trim()) : null;
  if (!m) {
    throw new Error(`"${text}" is not an answer rule: write ${answerRuleSyntax}.`);
  }
  const status = Number(m[1]);
  if (status < 200 || status > 599) {
    throw new Error(`"${text}": the status must be between 200 and 599.`);
  }
  const count = m[2] !== undefined ? Number(m[2]) : undefined;
  if (count === 0) {
    throw new Error(`"${text}": x0 would never answer; leave xCOUNT out to answer every delivery.`);
  }
  const delayMs = m[3] !== undefined ? Math.round(Number(m[3]) * (m[4].toLowerCase() === 's' ? 1000 : 1)) : 0;
  if (delayMs > maxAnswerDelayMs) {
    throw new Error(`"${text}": a delay over ${maxAnswerDelayMs / 1000} s would outlast the listener's request timeout.`);
  }
  return { text: t, paths: pathGlob(t.slice(0, eq)), status, ...(count !== undefined ? { count } : {}), delayMs };
}

/** What a rule decided for one delivery. */
export interface RuleAnswer {
  rule: AnswerRule;
  status: number;
  delayMs: number;
}

/**
 * The user's answer rules with their delivery counts (per rule and path, for
 * as long as the listener runs). Confirmations (VK, SNS) are answered by a
 * rule only when the rule names their path exactly (no wildcard), so a
 * catch-all `/**=503` tests retries without breaking a subscription.
 */
export class AnswerRules {
  private readonly served = new Map<string, number>();

  constructor(readonly rules: readonly AnswerRule[]) {}

  static parse(texts: readonly string[]): AnswerRules {
    return new AnswerRules(texts.filter((t) => t.trim() !== '').map(parseAnswerRule));
  }

  /** The rule that answers this delivery, counting it; undefined = answer as usual. */
  take(path: string, options: { confirmation?: boolean } = {}): RuleAnswer | undefined {
    for (const rule of this.rules) {
      if (!rule.paths.matches(path) || (options.confirmation && !rule.paths.literal)) {
        continue;
      }
      if (rule.count !== undefined) {
        const key = `${rule.text}\n${path}`;
        const done = this.served.get(key) ?? 0;
        if (done >= rule.count) {
          continue;
        }
        this.served.set(key, done + 1);
      }
      return { rule, status: rule.status, delayMs: rule.delayMs };
    }
    return undefined;
  }
}
