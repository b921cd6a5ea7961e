import { invalid } from '../platform/errors.js';

/**
 * Secrets inside a machine's `connection` (an OPC UA password, an API token, ...) are write-only:
 * stored for the connector, shown to nobody. Responses and audit rows carry SECRET_MARKER in their
 * place; a write that omits a stored secret or sends the marker back keeps it (docs/adr/0013).
 */
export const SECRET_MARKER = '********';

// Names of values that grant access. `privateKeyFile`-style names hold where a key is, not the key.
const SECRET_NAME = /(password|passphrase|passwd|secret|token|privatekey|apikey|credential)/i;
const REFERENCE_NAME = /(file|path|dir)$/i;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isSecretKey(key: string): boolean {
  return SECRET_NAME.test(key) && !REFERENCE_NAME.test(key);
}

const hasValue = (v: unknown): boolean => v !== null && v !== undefined && v !== '';

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretKey(key) && hasValue(v) ? SECRET_MARKER : redactValue(v);
  }
  return out;
}

/** The connection as anyone may see it: every secret replaced by SECRET_MARKER, at any depth. */
export function redactConnection(connection: Json): Json {
  return redactValue(connection) as Json;
}

/** A machine row (or any object with a `connection`) with its secrets redacted. */
export function redactMachine<T extends { connection?: unknown }>(row: T): T {
  return isObject(row.connection) ? { ...row, connection: redactConnection(row.connection) } : row;
}

/**
 * The connection to store when `incoming` replaces `stored`: a secret that `incoming` leaves out
 * (while keeping the object around it, of the same `type` if it has one) or sends as SECRET_MARKER
 * keeps its stored value; `null` removes it. A marker with nothing stored behind it is refused, naming the field.
 */
export function mergeConnection(stored: Json, incoming: Json): Json {
  return mergeObject(stored, incoming, 'connection');
}

function mergeObject(stored: Json, incoming: Json, at: string): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(incoming)) {
    const field = `${at}.${key}`;
    const before = stored[key];
    if (isSecretKey(key) && v === SECRET_MARKER) {
      if (!hasValue(before) || before === SECRET_MARKER) {
        throw invalid(
          field,
          `no stored secret to keep; send the secret itself ("${SECRET_MARKER}" stands for a stored one)`,
        );
      }
      out[key] = before;
    } else if (isObject(v)) {
      out[key] = mergeObject(isObject(before) ? before : {}, v, field);
    } else if (Array.isArray(v)) {
      out[key] = v.map((item, i) => {
        const old = Array.isArray(before) ? (before[i] as unknown) : undefined;
        return isObject(item) ? mergeObject(isObject(old) ? old : {}, item, `${field}[${i}]`) : item;
      });
    } else {
      out[key] = v;
    }
  }
  // An object that changed its kind (identity username -> anonymous) drops the secrets it left out.
  if (incoming.type !== undefined && incoming.type !== stored.type) return out;
  for (const [key, before] of Object.entries(stored)) {
    if (!(key in incoming) && isSecretKey(key) && hasValue(before)) out[key] = before;
  }
  return out;
}
