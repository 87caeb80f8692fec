/** Who is signed in: the bearer token the api accepts, and what it says of the person. */
export interface Session {
  readonly token: string;
  readonly role: string;
  readonly organisationId: string;
  readonly subject: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const KEY = 'jalon.session';
const listeners = new Set<() => void>();

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  return session.expiresAt > Date.now() ? session : undefined;
}

export function startSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener());
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
