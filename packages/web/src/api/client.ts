/** A small typed client over fetch; the login token lives in sessionStorage. */
import type { Page } from './types';

const TOKEN_KEY = 'kerf.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer of the API: `{error, message, field}` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** extra facts of the error, e.g. a CSV import's row errors */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const listeners = new Set<() => void>();
/** Called when the server says the token is no longer valid (401). */
export function onUnauthenticated(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function api<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : contentType ? (body as string) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The Kerf server cannot be reached.');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's error page): the status below still says what happened
  }
  if (!res.ok) {
    const err = (data ?? {}) as { error?: string; message?: string; field?: string; details?: unknown };
    if (res.status === 401 && path !== '/auth/login') for (const l of listeners) l();
    throw new ApiError(
      res.status,
      err.error ?? 'error',
      err.message ?? `${res.status} ${res.statusText}`,
      err.field,
      err.details,
    );
  }
  return data as T;
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}): Promise<T> => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown): Promise<T> => api<T>('PATCH', path, body);
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path);
/** A text body, e.g. a CSV file, sent as it is. */
export const postText = <T>(path: string, text: string, contentType: string): Promise<T> =>
  api<T>('POST', path, text, contentType);

/** Every item of a paginated list, in pages of 500 (the API's maximum): the first page says how
 * many there are, the others are then fetched together. */
export async function getAll<T>(path: string, params: Record<string, string> = {}): Promise<T[]> {
  const pageAt = (offset: number) =>
    get<Page<T>>(`${path}?${new URLSearchParams({ ...params, limit: '500', offset: String(offset) }).toString()}`);
  const first = await pageAt(0);
  if (first.items.length < 500 || first.total <= 500) return first.items;
  const offsets: number[] = [];
  for (let offset = 500; offset < first.total; offset += 500) offsets.push(offset);
  const rest = await Promise.all(offsets.map(pageAt));
  return first.items.concat(...rest.map((p) => p.items));
}
