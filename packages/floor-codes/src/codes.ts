import { checkCharacters } from './check-character.js';

/**
 * The codes Kerf prints and reads: `TYPE-PAYLOAD-CC`, upper-case letters, digits and dashes only,
 * so that a keyboard-wedge scanner types them the same on any keyboard layout and with Caps
 * Lock on (letters are read case-blind). CC are the ISO 7064 MOD 1271-36 check characters over
 * TYPE and PAYLOAD without their dashes.
 *
 * - `OP-<routing step id, 32 hex>-<routing revision>`: one operation as printed on a traveler;
 *   the revision is the step's version when it was printed, so a scan can tell that the
 *   routing changed since.
 * - `JOB-<job number>`, `WC-<work center id>`, `EMP-<badge number>`, `LOT-<material lot>`.
 */
export type KerfCode =
  | { type: 'operation'; routingId: string; revision: number }
  | { type: 'job'; jobNumber: string }
  | { type: 'workCenter'; workCenterId: string }
  | { type: 'badge'; badge: string }
  | { type: 'lot'; lot: string };

export type ParsedCode = { ok: true; code: KerfCode; text: string } | { ok: false; error: string; text: string };

const PREFIX = { operation: 'OP', job: 'JOB', workCenter: 'WC', badge: 'EMP', lot: 'LOT' } as const;
const TYPE_OF: Record<string, KerfCode['type']> = {
  OP: 'operation',
  JOB: 'job',
  WC: 'workCenter',
  EMP: 'badge',
  LOT: 'lot',
};
const PAYLOAD = /^[0-9A-Z](?:[0-9A-Z-]{0,46}[0-9A-Z])?$/;
const UUID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

const withCheck = (type: string, payload: string) =>
  `${type}-${payload}-${checkCharacters((type + payload).replace(/-/g, ''))}`;

function payloadOf(what: string, raw: string): string {
  const p = raw.trim().toUpperCase();
  if (!PAYLOAD.test(p)) {
    throw new Error(`${what} "${raw}" cannot be a barcode: use letters, digits and inner dashes (at most 48)`);
  }
  return p;
}

/** The printable text of a code (what the barcode carries). */
export function encodeCode(code: KerfCode): string {
  switch (code.type) {
    case 'operation': {
      const m = UUID.exec(code.routingId);
      if (!m) throw new Error(`routing step id "${code.routingId}" is not a UUID`);
      if (!Number.isInteger(code.revision) || code.revision < 1) throw new Error('revision must be a positive integer');
      return withCheck(PREFIX.operation, `${m.slice(1).join('').toUpperCase()}-${code.revision}`);
    }
    case 'job':
      return withCheck(PREFIX.job, payloadOf('job number', code.jobNumber));
    case 'workCenter':
      return withCheck(PREFIX.workCenter, payloadOf('work center id', code.workCenterId));
    case 'badge':
      return withCheck(PREFIX.badge, payloadOf('badge', code.badge));
    case 'lot':
      return withCheck(PREFIX.lot, payloadOf('material lot', code.lot));
  }
}

/**
 * Reads scanner or keyboard input: control characters (a scanner's CR, LF, Tab or prefix
 * bytes) and surrounding spaces are dropped and letters read case-blind; a wrong check
 * character is an error, never a guess.
 */
export function parseCode(input: string): ParsedCode {
  const text = input
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .toUpperCase();
  const parts = text.split('-');
  const type = TYPE_OF[parts[0] ?? ''];
  if (!type || parts.length < 3) return { ok: false, error: `"${text}" is not a Kerf code`, text };
  const check = parts.at(-1)!;
  const payload = parts.slice(1, -1).join('-');
  if (!PAYLOAD.test(payload) || check.length !== 2) return { ok: false, error: `"${text}" is not a Kerf code`, text };
  if (checkCharacters((parts[0]! + payload).replace(/-/g, '')) !== check) {
    return { ok: false, error: `"${text}" has wrong check characters: scan it again or type it from the label`, text };
  }
  switch (type) {
    case 'operation': {
      const m = /^([0-9A-F]{32})-([1-9][0-9]{0,8})$/.exec(payload);
      if (!m) return { ok: false, error: `"${text}" is not an operation code`, text };
      const h = m[1]!.toLowerCase();
      const routingId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      return { ok: true, code: { type, routingId, revision: Number(m[2]) }, text };
    }
    case 'job':
      return { ok: true, code: { type, jobNumber: payload }, text };
    case 'workCenter':
      return { ok: true, code: { type, workCenterId: payload }, text };
    case 'badge':
      return { ok: true, code: { type, badge: payload }, text };
    case 'lot':
      return { ok: true, code: { type, lot: payload }, text };
  }
}
