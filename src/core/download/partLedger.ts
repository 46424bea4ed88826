import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * The record of a ranged download kept next to its `.part` file
 * (`<name>.part.ranges.json`): the object's size and validator and which
 * ranges are complete on disk, so a resume fetches only the missing ones.
 * A range is recorded only after its bytes were written and the writer closed.
 */
export interface PartLedger {
  version: 1;
  total: number;
  partBytes: number;
  etag?: string;
  lastModified?: string;
  /** Indexes of the complete ranges (range i covers [i * partBytes, min(total, (i + 1) * partBytes)) ). */
  done: number[];
}

export function ledgerPath(partPath: string): string {
  return `${partPath}.ranges.json`;
}

/** The ledger of a `.part` file, or undefined when there is none or it cannot be trusted. */
export async function readLedger(partPath: string): Promise<PartLedger | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(ledgerPath(partPath), 'utf8'));
  } catch {
    return undefined;
  }
  const l = value as Partial<PartLedger> | null;
  const count = l && typeof l.total === 'number' && typeof l.partBytes === 'number' && l.partBytes > 0 ? Math.ceil(l.total / l.partBytes) : -1;
  if (
    !l ||
    l.version !== 1 ||
    count < 0 ||
    !Number.isSafeInteger(l.total) ||
    !(typeof l.etag === 'string' || typeof l.lastModified === 'string') ||
    !Array.isArray(l.done) ||
    !l.done.every((i) => Number.isInteger(i) && i >= 0 && i < count)
  ) {
    return undefined;
  }
  return l as PartLedger;
}

/** Writes the ledger whole (a new file renamed over the old: a crash leaves the old or the new one, never half). */
export async function writeLedger(partPath: string, ledger: PartLedger): Promise<void> {
  const path = ledgerPath(partPath);
  await writeFile(`${path}.tmp`, JSON.stringify(ledger));
  await rename(`${path}.tmp`, path);
}

export async function removeLedger(partPath: string): Promise<void> {
  await rm(ledgerPath(partPath), { force: true });
  await rm(`${ledgerPath(partPath)}.tmp`, { force: true });
}

/** Removes a kept `.part` file and its ledger (a download the user gave up on). */
export async function discardPart(partPath: string): Promise<void> {
  await rm(partPath, { force: true });
  await removeLedger(partPath);
}
