// Who is signed in, and what their role lets the pages show. The API refuses the rest anyway (403);
// the console only leaves out what would be refused.
import { api, ApiError, setCsrfToken } from './api/client';
import type { Role, Session } from './api/types';

let current: Session | null = null;

export function session(): Session | null {
  return current;
}

export function remember(s: Session | null): void {
  current = s;
  setCsrfToken(s ? s.csrf_token : null);
}

/** The session the cookie holds, or null (no cookie, expired, signed out elsewhere). */
export async function load(): Promise<Session | null> {
  try {
    remember(await api.get<Session>('/api/v1/sessions/current'));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    remember(null);
  }
  return current;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const answer = await api.post<Session>('/api/v1/sessions', { email, password });
  remember(answer.body);
  return answer.body;
}

export async function signOut(): Promise<void> {
  try {
    await api.del('/api/v1/sessions/current');
  } finally {
    remember(null);
  }
}

/** What a role may do, as the API's x-roles say: managers read, operators and admins change. */
export type Ability = 'read' | 'edit';
const ABILITIES: Record<Role, Ability[]> = {
  admin: ['read', 'edit'],
  operator: ['read', 'edit'],
  manager: ['read'],
  integration: [],
};

export function can(ability: Ability): boolean {
  return !!current && ABILITIES[current.user.role]?.includes(ability);
}
