import type { Db } from '../platform/db.js';

export interface DemoSummary {
  workCenters: number;
  jobs: number;
  routings: number;
}

/** Placeholder until the demo generator lands: loads nothing. */
export async function loadDemoShopIfEmpty(
  _db: Db,
  _options: { seed: number; jobs: number },
  _progress: (line: string) => void,
): Promise<DemoSummary | undefined> {
  return undefined;
}
