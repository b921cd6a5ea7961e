import { describe, expect, it } from 'vitest';
import {
  completedTransIdsSql,
  deleteFeedbackSql,
  deleteTransActRowSql,
  errorRowsSql,
  feedbackRowsSql,
  insertTransActSql,
  mssqlDialect,
  packetIdsSql,
  postgresDialect,
  queuedTransIdsSql,
  TRANSACT_COLUMNS,
} from './dialect.js';

const ms = mssqlDialect('SimTrans', 'SNDB');
const pg = postgresDialect();

describe('SQL Server text of the sync statements', () => {
  it('inserts a TransAct row with @p parameters, GETDATE() and bit 0, table qualified by database and dbo', () => {
    const text = insertTransActSql(ms);
    expect(text).toBe(
      `INSERT INTO [SimTrans].[dbo].[TransAct] (${TRANSACT_COLUMNS.map((c) => `[${c}]`).join(', ')}, [ErrorTag], [AddedDate]) VALUES (${TRANSACT_COLUMNS.map((_, i) => `@p${i + 1}`).join(', ')}, 0, GETDATE())`,
    );
    expect(TRANSACT_COLUMNS).toHaveLength(22);
  });

  it('looks up TransIDs in the queue and in the log', () => {
    expect(queuedTransIdsSql(ms, 3)).toBe(
      'SELECT [TransID] AS trans_id FROM [SimTrans].[dbo].[TransAct] WHERE [TransID] IN (@p1, @p2, @p3)',
    );
    expect(completedTransIdsSql(ms, 2)).toBe(
      "SELECT [TransID] AS trans_id FROM [SimTrans].[dbo].[TransActLog] WHERE [Status] = 'complete' AND [TransID] IN (@p1, @p2)",
    );
  });

  it('reads ErrorTag rows with TOP, a correlated TOP 1 reason and bit literals', () => {
    expect(errorRowsSql(ms, 500)).toBe(
      'SELECT TOP (500) t.[AutoInc] AS auto_inc, t.[TransID] AS trans_id, t.[TransType] AS trans_type, ' +
        'COALESCE(t.[ItemName], t.[OrderNo], t.[Material]) AS item_name, ' +
        "(SELECT TOP (1) l.[Message] FROM [SimTrans].[dbo].[TransActLog] l WHERE l.[TransID] = t.[TransID] AND l.[Status] = 'error' ORDER BY l.[AutoInc] DESC) AS reason " +
        "FROM [SimTrans].[dbo].[TransAct] t WHERE t.[ErrorTag] = 1 AND t.[District] = @p1 AND t.[TransID] LIKE 'K%' ORDER BY t.[AutoInc]",
    );
    expect(deleteTransActRowSql(ms)).toBe('DELETE FROM [SimTrans].[dbo].[TransAct] WHERE [AutoInc] = @p1');
  });

  it('reads and deletes feedback packets in the SigmaNEST database', () => {
    expect(packetIdsSql(ms, 100)).toBe(
      'SELECT TOP (100) u.packet_id FROM (' +
        ['STPrgARC', 'STPIPARC', 'STShtARC', 'STRemARC', 'STPrtARC']
          .map((t) => `SELECT [ArchivePacketID] AS packet_id FROM [SNDB].[dbo].[${t}]`)
          .join(' UNION ') +
        ') u ORDER BY u.packet_id',
    );
    expect(feedbackRowsSql(ms, 'STPIPARC')).toBe(
      'SELECT * FROM [SNDB].[dbo].[STPIPARC] WHERE [ArchivePacketID] = @p1 ORDER BY [AutoInc]',
    );
    expect(deleteFeedbackSql(ms, 'STPrgARC')).toBe('DELETE FROM [SNDB].[dbo].[STPrgARC] WHERE [ArchivePacketID] = @p1');
  });

  it('escapes brackets in identifiers', () => {
    expect(mssqlDialect('Sim]Trans', 'SNDB').transAct).toBe('[Sim]]Trans].[dbo].[TransAct]');
  });
});

describe('PostgreSQL text (the emulator) differs only where the dialect says', () => {
  it('uses $n, LIMIT, now(), booleans and double quotes', () => {
    expect(queuedTransIdsSql(pg, 2)).toBe('SELECT "TransID" AS trans_id FROM "TransAct" WHERE "TransID" IN ($1, $2)');
    expect(insertTransActSql(pg)).toMatch(/VALUES \(\$1, .*\$22, false, now\(\)\)$/);
    expect(errorRowsSql(pg, 5)).toMatch(/^SELECT t\."AutoInc".* ORDER BY t\."AutoInc" LIMIT 5$/);
    expect(errorRowsSql(pg, 5)).toContain('t."ErrorTag" = true');
    expect(packetIdsSql(pg, 7)).toMatch(/ORDER BY u\.packet_id LIMIT 7$/);
  });
});
