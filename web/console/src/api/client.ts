// The one way the console talks to Siyu: fetch on the same origin with the session cookie, the
// CSRF token on every request that changes something, problems (RFC 9457) turned into ApiError.
import type { SchemaProblem } from './schema';

export type Problem = SchemaProblem & {
  errors?: { field: string; message: string }[];
  problems?: { element: string; problem: string }[];
};

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem, readonly retryAfter: number | null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
  /** The problem's stable slug (`https://siyu.io/problems/<slug>`). */
  get slug(): string {
    return (this.problem.type || '').split('/').pop() || '';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (the session ended elsewhere): the app shows sign-in. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export interface Answer<T> { status: number; body: T }

type Body = { json: unknown } | { xml: string } | undefined;

export async function request<T>(method: string, path: string, body?: Body, accept = 'application/json'): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: `${accept}, application/problem+json` };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload: string | undefined;
  if (body && 'json' in body) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body && 'xml' in body) {
    headers['Content-Type'] = 'application/xml';
    payload = body.xml;
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    const problem: Problem = type.includes('json')
      ? await response.json()
      : { type: 'about:blank', title: response.statusText, status: response.status, detail: await response.text() };
    const retry = response.headers.get('Retry-After');
    const error = new ApiError(response.status, problem, retry ? Number(retry) : null);
    if (response.status === 401 && !path.startsWith('/api/v1/sessions')) onUnauthorized();
    throw error;
  }
  if (response.status === 204) return { status: 204, body: undefined as T };
  const parsed = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body: parsed as T };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path).then(a => a.body),
  getText: (path: string, accept: string) => request<string>('GET', path, undefined, accept).then(a => a.body),
  post: <T>(path: string, json?: unknown) => request<T>('POST', path, json === undefined ? undefined : { json }),
  postXml: <T>(path: string, xml: string) => request<T>('POST', path, { xml }),
  put: <T>(path: string, json: unknown) => request<T>('PUT', path, { json }),
  patch: <T>(path: string, json: unknown) => request<T>('PATCH', path, { json }),
  del: (path: string) => request<void>('DELETE', path),
};

/** A query string from the parameters that have a value. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A path segment from data (a key, an id): percent-encoded. */
export const seg = encodeURIComponent;
