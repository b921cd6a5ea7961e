import { describe, expect, it } from 'vitest';
import { backoffMs, loadNestingConfig } from './config.js';
import type { JobHeaderPayload, PartPayload } from './outbox-payloads.js';
import { rowTransId, transActRows } from './transact-rows.js';

const job: JobHeaderPayload = {
  jobId: '7b0c3a34-1f7e-4c55-9a51-1d1a6d5b3c11',
  jobNumber: 'J-1001',
  product: 'Work table 30x72',
  dueDate: '2026-12-10T22:00:00.000Z',
  priority: 2,
  customer: 'ACME',
};
const part = (n: string, over: Partial<PartPayload> = {}): PartPayload => ({
  partId: `p-${n}`,
  partNumber: n,
  revision: 'A',
  quantity: 4,
  materialCode: 'SS304',
  thickness: 0.0598,
  dxfPath: `//cad/${n}.dxf`,
  ...over,
});

describe('TransAct rows of an outbox message', () => {
  it('release: missing materials first (SN60), CAD parts SN85, library parts SN84, TransIDs of 10 characters', () => {
    const { rows, newMaterials } = transActRows(
      { kind: 'job.release', job, parts: [part('TOP'), part('LEG', { dxfPath: null, materialCode: 'CRS' })] },
      'K000002a',
      3,
      new Set(['SS304']),
    );
    expect(newMaterials).toEqual(['CRS']);
    expect(rows.map((r) => [r.TransType, r.TransID])).toEqual([
      ['SN60', 'K000002a00'],
      ['SN85', 'K000002a01'],
      ['SN84', 'K000002a02'],
    ]);
    expect(rows[1]).toMatchObject({
      District: 3,
      OrderNo: 'J-1001',
      ItemName: 'TOP',
      Qty: 4,
      Material: 'SS304',
      Thickness: 0.0598,
      FileName: '//cad/TOP.dxf',
      Priority: 2,
      Customer: 'ACME',
      ItemData1: job.jobId,
    });
    expect((rows[1]!.DueDate as Date).toISOString()).toBe(job.dueDate);
    expect(rows[2]!.FileName).toBeNull();
    for (const r of rows) expect(r.TransID.length).toBeLessThanOrEqual(10);
  });

  it('changes: quantity SN81, added part SN85, removed SN82; hold SN87 OnHold; cancel SN89; stock SN91A/SN97/SN92', () => {
    const change = transActRows(
      {
        kind: 'job.change',
        job,
        added: [part('NEW')],
        changed: [{ partNumber: 'TOP', quantity: 9 }],
        removed: [{ partNumber: 'LEG' }],
      },
      'K0000001',
      1,
      new Set(['SS304']),
    ).rows;
    expect(change.map((r) => [r.TransType, r.ItemName, r.Qty ?? null])).toEqual([
      ['SN85', 'NEW', 4],
      ['SN81', 'TOP', 9],
      ['SN82', 'LEG', null],
    ]);
    const hold = transActRows({ kind: 'job.hold', job, onHold: true }, 'K0000002', 1, new Set()).rows;
    expect(hold).toMatchObject([{ TransType: 'SN87', OrderNo: 'J-1001', OnHold: true }]);
    expect(transActRows({ kind: 'job.cancel', job }, 'K0000003', 1, new Set()).rows).toMatchObject([
      { TransType: 'SN89', OrderNo: 'J-1001' },
    ]);
    const sheet = {
      materialId: 'm1',
      sheetName: 'SS304-0.0598-48x96-RACK-A',
      material: 'SS304',
      thickness: 0.0598,
      width: 48,
      length: 96,
      quantity: 0,
      location: 'RACK-A',
      remnant: false,
      fileName: null,
    };
    expect(transActRows({ kind: 'stock.upsert', sheet }, 'K0000004', 1, new Set(['SS304'])).rows).toMatchObject([
      {
        TransType: 'SN91A',
        ItemName: sheet.sheetName,
        Qty: 0,
        Width: 48,
        Length: 96,
        ItemType: 0,
        BinNumber: 'RACK-A',
      },
    ]);
    expect(
      transActRows(
        { kind: 'stock.upsert', sheet: { ...sheet, remnant: true, fileName: 'r.dxf' } },
        'K0000005',
        1,
        new Set(['SS304']),
      ).rows[0],
    ).toMatchObject({ TransType: 'SN97', ItemType: 1, FileName: 'r.dxf' });
    expect(transActRows({ kind: 'stock.remove', sheet }, 'K0000006', 1, new Set()).rows).toMatchObject([
      { TransType: 'SN92', ItemName: sheet.sheetName },
    ]);
  });

  it('cuts text to the TransAct column sizes and refuses more rows than a TransID can number', () => {
    const long = transActRows(
      {
        kind: 'job.release',
        job: { ...job, product: 'x'.repeat(200), jobNumber: 'J'.repeat(60) },
        parts: [part('P'.repeat(120))],
      },
      'K0000007',
      1,
      new Set(['SS304']),
    ).rows[0]!;
    expect((long.Remark as string).length).toBe(80);
    expect((long.OrderNo as string).length).toBe(50);
    expect((long.ItemName as string).length).toBe(100);
    expect(rowTransId('K0000007', 1295)).toBe('K0000007zz');
    expect(() => rowTransId('K0000007', 1296)).toThrow(/1296/);
  });
});

describe('nesting configuration', () => {
  it('reads SimTrans connection settings and refuses what cannot work', () => {
    const c = loadNestingConfig({
      KERF_NESTING_MODE: 'simtrans',
      KERF_SIMTRANS_URL: 'mssql://kerf:s%40cret@sql01:1444/SimTrans',
      KERF_SIMTRANS_DISTRICT: '4',
      KERF_SIMTRANS_POLL_SECONDS: '30',
    });
    expect(c.sqlServer).toEqual({
      host: 'sql01',
      port: 1444,
      user: 'kerf',
      password: 's@cret',
      database: 'SimTrans',
      sigmanestDatabase: 'SNDB',
      encrypt: true,
      trustServerCertificate: false,
      caFile: undefined,
    });
    expect(c).toMatchObject({ district: 4, pollSeconds: 30, maxAttempts: 8 });
    expect(() => loadNestingConfig({ KERF_NESTING_MODE: 'simtrans' })).toThrow(
      /KERF_SIMTRANS_URL or KERF_SIMTRANS_HOST/,
    );
    expect(() => loadNestingConfig({ KERF_NESTING_MODE: 'ftp' })).toThrow(/KERF_NESTING_MODE/);
    expect(() => loadNestingConfig({ KERF_SIMTRANS_DISTRICT: 'one' })).toThrow(/KERF_SIMTRANS_DISTRICT/);
    expect(() => loadNestingConfig({ KERF_NESTING_MODE: 'files', KERF_NESTING_OUTBOX_DIR: '/tmp/out' })).toThrow(
      /INBOX/,
    );
  });

  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs({ backoffSeconds: 30 }, a))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs({ backoffSeconds: 30 }, 20)).toBe(3_600_000);
  });
});
