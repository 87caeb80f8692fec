/** Who is signed in: the bearer token the api accepts, and what it says of the person. */
export interface Session {
  readonly token: string;
  readonly role: string;
  readonly organisationId: string;
  readonly subject: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Set when the person signed in at the identity provider: where signing out ends that session too. */
  readonly signOutUrl?: string;
}

const KEY = 'jalon.session';
/** Left behind when a session ends by expiring (or the api refusing its token), so the sign-in page can say so. */
const EXPIRED_KEY = 'jalon.session.expired';
const listeners = new Set<() => void>();

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  if (session.expiresAt > Date.now()) return session;
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem(EXPIRED_KEY, '1');
  return undefined;
}

export function startSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  sessionStorage.removeItem(EXPIRED_KEY);
  listeners.forEach((listener) => listener());
}

/**
 * The forms' drafts and pending acts (components/ActForm): kept when a session expires, so that
 * signing in again finds them; forgotten when the person signs out (they may hold a candidate's identity).
 */
const DRAFT_PREFIXES = ['jalon.draft.', 'jalon.act.'];

function forgetDrafts(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key && DRAFT_PREFIXES.some((prefix) => key.startsWith(prefix))) sessionStorage.removeItem(key);
  }
}

/** Ends the session here; `expired` when the person did not ask for it (the sign-in page then says why). */
export function endSession(reason: 'signed-out' | 'expired' = 'signed-out'): void {
  sessionStorage.removeItem(KEY);
  if (reason === 'expired') sessionStorage.setItem(EXPIRED_KEY, '1');
  else forgetDrafts();
  listeners.forEach((listener) => listener());
}

/** Whether the last session ended without the person asking (expired, or refused by the api). */
export function sessionExpired(): boolean {
  return sessionStorage.getItem(EXPIRED_KEY) === '1';
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
