import { join } from 'node:path';
import { TRANSACT_COLUMNS } from '../dialect.js';
import type { OutboundTarget } from '../outbound-sync.js';
import { toCsv, writeAtomic } from './csv-write.js';

/**
 * Files mode: each outbox row becomes `<trans_id>.csv` with the TransAct columns (a SimTrans
 * folder import or any other nesting system reads them). Re-sending rewrites the same file with
 * the same rows, so a retry after a crash never doubles anything.
 */
export function fileTarget(outboxDir: string): OutboundTarget {
  return {
    send: async (entry, rows) => {
      writeAtomic(join(outboxDir, `${entry.trans_id}.csv`), toCsv(TRANSACT_COLUMNS, rows));
    },
    collectErrors: async () => [],
    forget: async () => undefined,
  };
}
