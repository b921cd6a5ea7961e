/**
 * Every piece of SQL that differs between SQL Server (real SimTrans / SigmaNEST) and PostgreSQL
 * (the emulator) lives here: parameter style, TOP vs LIMIT, the clock, booleans, quoting and
 * table qualification. The sync code builds its statements only through these functions.
 */

export type FeedbackTable = 'STPrgARC' | 'STPIPARC' | 'STShtARC' | 'STRemARC' | 'STPrtARC';
export const FEEDBACK_TABLES: readonly FeedbackTable[] = ['STPrgARC', 'STPIPARC', 'STShtARC', 'STRemARC', 'STPrtARC'];

/** The TransAct columns Kerf writes (manual "Transaction Variables"). */
export const TRANSACT_COLUMNS = [
  'TransType',
  'District',
  'TransID',
  'OrderNo',
  'ItemName',
  'RevNumber',
  'Qty',
  'Material',
  'Thickness',
  'DueDate',
  'Customer',
  'DwgNumber',
  'Priority',
  'FileName',
  'Length',
  'Width',
  'Remark',
  'ItemType',
  'OnHold',
  'BinNumber',
  'ItemData1',
  'ItemData2',
] as const;
export type TransActColumn = (typeof TRANSACT_COLUMNS)[number];

export interface Dialect {
  name: 'mssql' | 'postgres';
  /** placeholder of the i-th parameter (1-based) */
  param(i: number): string;
  ident(name: string): string;
  /** the SimTrans inbound queue and its event log */
  transAct: string;
  transActLog: string;
  feedback(table: FeedbackTable): string;
  now: string;
  bool(value: boolean): string;
  /** SELECT of at most n rows: TOP (n) on SQL Server, LIMIT n on PostgreSQL */
  selectTop(n: number, columns: string, rest: string): string;
  /** auto-numbered integer key column type (emulator DDL and docs) */
  identity: string;
}

export function mssqlDialect(simtransDb: string, sigmanestDb: string): Dialect {
  const ident = (name: string) => `[${name.replace(/]/g, ']]')}]`;
  const qualify = (db: string, table: string) => `${ident(db)}.[dbo].${ident(table)}`;
  return {
    name: 'mssql',
    param: (i) => `@p${i}`,
    ident,
    transAct: qualify(simtransDb, 'TransAct'),
    transActLog: qualify(simtransDb, 'TransActLog'),
    feedback: (t) => qualify(sigmanestDb, t),
    now: 'GETDATE()',
    bool: (v) => (v ? '1' : '0'),
    selectTop: (n, columns, rest) => `SELECT TOP (${n}) ${columns} ${rest}`,
    identity: 'INT IDENTITY(1,1) PRIMARY KEY',
  };
}

/** The emulator's tables live in the connection's search_path schema. */
export function postgresDialect(): Dialect {
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    name: 'postgres',
    param: (i) => `$${i}`,
    ident,
    transAct: ident('TransAct'),
    transActLog: ident('TransActLog'),
    feedback: (t) => ident(t),
    now: 'now()',
    bool: (v) => (v ? 'true' : 'false'),
    selectTop: (n, columns, rest) => `SELECT ${columns} ${rest} LIMIT ${n}`,
    identity: 'SERIAL PRIMARY KEY',
  };
}

const params = (d: Dialect, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => d.param(from + i)).join(', ');

/** INSERT of one TransAct row with every column of TRANSACT_COLUMNS as a parameter. */
export function insertTransActSql(d: Dialect): string {
  const cols = TRANSACT_COLUMNS.map(d.ident).join(', ');
  return `INSERT INTO ${d.transAct} (${cols}, ${d.ident('ErrorTag')}, ${d.ident('AddedDate')}) VALUES (${params(d, 1, TRANSACT_COLUMNS.length)}, ${d.bool(false)}, ${d.now})`;
}

/** TransIDs already queued in TransAct (pending or errored) among the given ones. */
export function queuedTransIdsSql(d: Dialect, count: number): string {
  return `SELECT ${d.ident('TransID')} AS trans_id FROM ${d.transAct} WHERE ${d.ident('TransID')} IN (${params(d, 1, count)})`;
}

/** TransIDs SimTrans logged as complete among the given ones. */
export function completedTransIdsSql(d: Dialect, count: number): string {
  return `SELECT ${d.ident('TransID')} AS trans_id FROM ${d.transActLog} WHERE ${d.ident('Status')} = 'complete' AND ${d.ident('TransID')} IN (${params(d, 1, count)})`;
}

/** Kerf's rows that SimTrans flagged with ErrorTag, with the newest logged reason. Param 1: district. */
export function errorRowsSql(d: Dialect, limit: number): string {
  const t = (c: string) => `t.${d.ident(c)}`;
  const reason = `(${d.selectTop(1, `l.${d.ident('Message')}`, `FROM ${d.transActLog} l WHERE l.${d.ident('TransID')} = ${t('TransID')} AND l.${d.ident('Status')} = 'error' ORDER BY l.${d.ident('AutoInc')} DESC`)})`;
  return d.selectTop(
    limit,
    `${t('AutoInc')} AS auto_inc, ${t('TransID')} AS trans_id, ${t('TransType')} AS trans_type, COALESCE(${t('ItemName')}, ${t('OrderNo')}, ${t('Material')}) AS item_name, ${reason} AS reason`,
    `FROM ${d.transAct} t WHERE ${t('ErrorTag')} = ${d.bool(true)} AND ${t('District')} = ${d.param(1)} AND ${t('TransID')} LIKE 'K%' ORDER BY ${t('AutoInc')}`,
  );
}

export function deleteTransActRowSql(d: Dialect): string {
  return `DELETE FROM ${d.transAct} WHERE ${d.ident('AutoInc')} = ${d.param(1)}`;
}

/** The oldest feedback packet ids across the STxxARC tables. */
export function packetIdsSql(d: Dialect, limit: number): string {
  const union = FEEDBACK_TABLES.map(
    (t) => `SELECT ${d.ident('ArchivePacketID')} AS packet_id FROM ${d.feedback(t)}`,
  ).join(' UNION ');
  return d.selectTop(limit, 'u.packet_id', `FROM (${union}) u ORDER BY u.packet_id`);
}

export function feedbackRowsSql(d: Dialect, table: FeedbackTable): string {
  return `SELECT * FROM ${d.feedback(table)} WHERE ${d.ident('ArchivePacketID')} = ${d.param(1)} ORDER BY ${d.ident('AutoInc')}`;
}

export function deleteFeedbackSql(d: Dialect, table: FeedbackTable): string {
  return `DELETE FROM ${d.feedback(table)} WHERE ${d.ident('ArchivePacketID')} = ${d.param(1)}`;
}
