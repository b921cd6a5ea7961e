/**
 * The API client, generated from the server's OpenAPI document (schema.d.ts): every path, parameter,
 * body and answer is typed by the contract. The login token lives in sessionStorage.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

const TOKEN_KEY = 'kerf.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer of the API: `{error, message, field, details}` and the HTTP status. */
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

/**
 * The bearer token on every call; an error answer thrown as one `ApiError` (pages show its message and
 * field), not returned as `{ error }`; a 401 outside the login tells the listeners the session is over.
 */
function session(token: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      const t = token();
      if (t) request.headers.set('authorization', `Bearer ${t}`);
      return request;
    },
    async onResponse({ response, schemaPath }) {
      if (response.ok) return response;
      let body: { error?: string; message?: string; field?: string; details?: unknown } = {};
      try {
        const text = await response.clone().text();
        body = (text ? JSON.parse(text) : {}) as typeof body;
      } catch {
        // not JSON (a proxy's error page): the status below still says what happened
      }
      if (response.status === 401 && schemaPath !== '/api/v1/auth/login') for (const l of listeners) l();
      throw new ApiError(
        response.status,
        body.error ?? 'error',
        body.message ?? `${response.status} ${response.statusText}`,
        body.field,
        body.details,
      );
    },
    onError() {
      return new ApiError(0, 'network', 'The Kerf server cannot be reached.');
    },
  };
}

/** A client of the API at `baseUrl`; the app's own is `client`. */
export function createApiClient(baseUrl = '', token: () => string | null = getToken) {
  const api = createClient<paths>({ baseUrl });
  api.use(session(token));
  return api;
}

// A relative base: the app is served by the Kerf server (or Vite's proxy) on the same origin.
export const client = createApiClient();

/** The answer of a call; errors never arrive here, the middleware has thrown them as `ApiError`. */
export async function ok<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

/** A text body (e.g. a CSV file) sent as it is, with the content type the path declares. */
export const asText = { bodySerializer: (text: string) => text } as const;

export const PAGE_LIMIT = 500;

/** Every item of a paginated list, in pages of 500 (the API's maximum): the first page says how many
 * there are, the others are then fetched together. `page` calls one list path with that window. */
export async function getAll<T>(
  page: (window: { limit: number; offset: number }) => Promise<{ data?: { items: T[]; total: number } }>,
): Promise<T[]> {
  const at = async (offset: number) => (await ok(page({ limit: PAGE_LIMIT, offset })))!;
  const first = await at(0);
  if (first.items.length < PAGE_LIMIT || first.total <= PAGE_LIMIT) return first.items;
  const offsets: number[] = [];
  for (let offset = PAGE_LIMIT; offset < first.total; offset += PAGE_LIMIT) offsets.push(offset);
  const rest = await Promise.all(offsets.map(at));
  return first.items.concat(...rest.map((p) => p.items));
}
