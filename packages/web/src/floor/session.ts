/**
 * The two credentials of a shared tablet: the station's device token (set up once by an admin,
 * kept in localStorage: it only opens the station screen and signs people in) and the session of
 * the person signed in on it (kept too, so a reload or a tab kill does not sign them out; idle
 * time does). Transactions are replayed with the station's token, which the server accepts for
 * people who were signed in on the station when the work happened.
 */
import { createApiClient } from '../api/client';

export interface Station {
  token: string;
  id: string;
  name: string;
  workCenterIds: string[];
}

export interface Operator {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; displayName: string | null; role: string };
}

const STATION_KEY = 'kerf.floor.station';
const OPERATOR_KEY = 'kerf.floor.operator';
const ACTIVE_KEY = 'kerf.floor.active';

/** Signed out after this long without a touch or a scan (a shared tablet left at the machine). */
export const IDLE_MS = 10 * 60_000;

function read<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export const loadStation = (): Station | null => read<Station>(STATION_KEY);

export function saveStation(station: Station | null): void {
  if (station) localStorage.setItem(STATION_KEY, JSON.stringify(station));
  else localStorage.removeItem(STATION_KEY);
}

/** The signed-in person, unless their session has expired or the tablet sat idle too long. */
export function loadOperator(now = Date.now()): Operator | null {
  const op = read<Operator>(OPERATOR_KEY);
  if (!op) return null;
  const active = Number(localStorage.getItem(ACTIVE_KEY) ?? 0);
  if (Date.parse(op.expiresAt) <= now || now - active > IDLE_MS) {
    saveOperator(null);
    return null;
  }
  return op;
}

export function saveOperator(op: Operator | null): void {
  if (op) {
    localStorage.setItem(OPERATOR_KEY, JSON.stringify(op));
    touch();
  } else localStorage.removeItem(OPERATOR_KEY);
}

export function touch(now = Date.now()): void {
  localStorage.setItem(ACTIVE_KEY, String(now));
}

export const operatorName = (op: Operator) => op.user.displayName ?? op.user.username;

/** Supervisors and up may start work the queue does not offer yet and see the floor's problems. */
export const isSupervisor = (op: Operator) => ['supervisor', 'production_manager', 'admin'].includes(op.user.role);

/** The API as the station (sign-in, station screen, transactions). */
export const stationApi = createApiClient('', () => loadStation()?.token ?? null);
/** The API as the signed-in person (queue, operations, issues). */
export const operatorApi = createApiClient('', () => read<Operator>(OPERATOR_KEY)?.token ?? null);
