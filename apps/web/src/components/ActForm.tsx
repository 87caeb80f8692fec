import { Alert, Button, ButtonProps, Group, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { FormEvent, ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';
import { currentSession } from '../auth/session';
import i18n from '../i18n';

/**
 * What every form of the console shares, built once: the act it sends (one Idempotency-Key per
 * intended act, kept across retries of the same content, so a double click or a retry after a
 * lost connection records once), the api's refusals said in French beside the field they concern,
 * a 409 that offers to reload, and the draft kept on this tab until the act succeeds (a refused
 * submission or an expired session loses nothing typed).
 */

/** Drafts and pending acts belong to this tab and to this person (forgotten when they sign out: auth/session.ts). */
function storageKey(kind: 'draft' | 'act', name: string): string {
  const session = currentSession();
  return `jalon.${kind}.${session?.organisationId ?? '-'}.${session?.subject ?? '-'}.${name}`;
}

function readStored<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export type DraftUpdate<T> = Partial<T> | ((draft: T) => T);

/**
 * A form's content, kept in this tab's sessionStorage as it is typed: it is there again after a
 * refused submission, a reload, or a sign-in after the session expired; `clear` once the act succeeded.
 */
export function useDraft<T extends object>(name: string, initial: T): [T, (update: DraftUpdate<T>) => void, () => void] {
  const key = storageKey('draft', name);
  const [draft, setDraft] = useState<T>(() => ({ ...initial, ...readStored<Partial<T>>(key) }));
  const update = useCallback(
    (change: DraftUpdate<T>) =>
      setDraft((previous) => {
        const next = typeof change === 'function' ? change(previous) : { ...previous, ...change };
        sessionStorage.setItem(key, JSON.stringify(next));
        return next;
      }),
    [key],
  );
  const initialRef = useRef(initial);
  const clear = useCallback(() => {
    sessionStorage.removeItem(key);
    setDraft(initialRef.current);
  }, [key]);
  return [draft, update, clear];
}

/** A uuid for an act: crypto.randomUUID where the page is a secure context, else from crypto.getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Why an act is not recorded: the api refused it, or no answer came back (the act may or may not be recorded). */
export type ActFailure = { kind: 'refused'; problem: ApiProblem; body: unknown } | { kind: 'lost' };

/**
 * Answers that decide nothing, after which the same act is retried under the same key: the api
 * kept no answer for it (5xx, 429, a concurrent write, a first request still running), or the
 * session ended before the api looked at the act (401).
 */
export function isTransient(problem: ApiProblem): boolean {
  return (
    problem.status >= 500 ||
    problem.status === 401 ||
    problem.status === 429 ||
    problem.code === 'IDEMPOTENCY.IN_PROGRESS' ||
    problem.code === 'EVENT_STORE.CONCURRENCY_CONFLICT'
  );
}

/** A problem's sentence for a person: by its code (errors.codes in the i18n files), else the api's detail. */
export function problemMessage(problem: ApiProblem): string {
  // Lists the api names (competencies, blocs) read « C1, C2 », an empty one « aucune ».
  const values = Object.fromEntries(
    Object.entries(problem.body).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') || i18n.t('act.noneOf') : value]),
  );
  return i18n.t(`errors.codes.${problem.code}`, { ...values, defaultValue: problem.detail });
}

/** The value at `field` (`apprenticeship.company`, `firstNames.0`) of a body. */
function valueAt(body: unknown, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), body);
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** class-validator's reasons (English, for developers) as a person reads them; a field left blank is said to be needed. */
function reasonMessage(reasons: readonly string[], value: unknown): string {
  if (isBlank(value)) return i18n.t('act.reasons.required');
  const reason = reasons.join(' ');
  const max = /shorter than or equal to (\d+)/.exec(reason);
  if (/should not be empty|longer than or equal to 1 character|at least 1 element|should not be null or undefined|must be a string/.test(reason))
    return i18n.t('act.reasons.required');
  if (/must be an email/.test(reason)) return i18n.t('act.reasons.email');
  if (max) return i18n.t('act.reasons.tooLong', { max: Number(max[1]) });
  if (/must contain no more than (\d+) element/.test(reason)) return i18n.t('act.reasons.tooMany');
  if (/must be one of the following values/.test(reason)) return i18n.t('act.reasons.oneOf');
  // The birth place codes' own formats (the accrochage's), as the api words them.
  if (/must be an INSEE code/.test(reason)) return i18n.t('act.reasons.inseeCode');
  if (/must be a postal code/.test(reason)) return i18n.t('act.reasons.postalCode');
  if (/must be 3 letters or digits/.test(reason)) return i18n.t('act.reasons.countryCode');
  if (/date/i.test(reason)) return i18n.t('act.reasons.date');
  return i18n.t('act.reasons.invalid');
}

/**
 * Where a refusal of `field` (as the api names it: `apprenticeship.masterId`, `firstNames.0`)
 * shows on a form whose fields are `fields`: that field; else the nearest one it is part of
 * (`firstNames`); else the first of its parts (`apprenticeship` → `apprenticeship.masterId`).
 */
function placeOf(field: string, fields: readonly string[]): string | undefined {
  if (fields.includes(field)) return field;
  const parent = [...fields].sort((a, b) => b.length - a.length).find((f) => field.startsWith(`${f}.`));
  return parent ?? fields.find((f) => f.startsWith(`${field}.`));
}

/** Help below the input rather than above: inputs side by side line up whether or not they have help. */
export const HELP_BELOW: { inputWrapperOrder: ('label' | 'input' | 'description' | 'error')[] } = {
  inputWrapperOrder: ['label', 'input', 'description', 'error'],
};

export interface ActOptions<B, R> {
  /** The act, naming its pending key in this tab: `register-candidate`, `enroll`. */
  readonly name: string;
  /** Sends the act with its Idempotency-Key (through `answer`, so that a refusal is thrown as an ApiProblem). */
  readonly send: (body: B, idempotencyKey: string) => Promise<R>;
  /** The form's fields, as the api names them in its refusals: their messages show beside them. */
  readonly fields: readonly string[];
  /** Refusals the api gives without a `field` that still concern one field of this form: code → field. */
  readonly codeFields?: Readonly<Record<string, string>>;
}

export interface Act<B, R> {
  /** Sends the act: its answer, or undefined when it is not recorded (`failure` says why). A call while one is pending waits for it. */
  run(body: B): Promise<R | undefined>;
  readonly pending: boolean;
  readonly failure?: ActFailure;
  /** The French message to show beside `field`, if the last refusal concerns it. */
  errorOf(field: string): string | undefined;
  /** The last refusal's messages that concern no field of the form: shown with the form's button. */
  readonly unplaced: readonly string[];
  dismiss(): void;
}

interface PendingAct {
  readonly body: string;
  readonly key: string;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one act under its Idempotency-Key: the key is kept in this tab under `name` until the api
 * decides, so that the same content sent again (a retry after no answer) records once. `useAct`
 * sends through it; so does a screen that sends several acts at once, each under its own name and
 * key (a deliberation validating many blocs).
 */
export async function sendAct<B, R>(
  name: string,
  body: B,
  send: (body: B, idempotencyKey: string) => Promise<R>,
): Promise<{ result: R } | { failure: ActFailure }> {
  const storage = storageKey('act', name);
  const content = JSON.stringify(body);
  // The same content as an attempt that got no decisive answer: the same act, under the same key.
  const previous = readStored<PendingAct>(storage);
  const key = previous?.body === content ? previous.key : newIdempotencyKey();
  sessionStorage.setItem(storage, JSON.stringify({ body: content, key } satisfies PendingAct));
  for (let tries = 1; ; tries++) {
    try {
      const result = await send(body, key);
      sessionStorage.removeItem(storage);
      return { result };
    } catch (error) {
      // No answer: the act may have been recorded. The key stays, so that retrying records it once.
      if (!(error instanceof ApiProblem)) return { failure: { kind: 'lost' } };
      // The first request under this key is still running: its answer is the one to wait for.
      if (error.code === 'IDEMPOTENCY.IN_PROGRESS' && tries < 5) {
        await wait(1000);
        continue;
      }
      // A decided refusal is kept by the api under its key: the next attempt is a new act.
      if (!isTransient(error)) sessionStorage.removeItem(storage);
      return { failure: { kind: 'refused', problem: error, body } };
    }
  }
}

/** One act of a form: see the top of this file. */
export function useAct<B, R>({ name, send, fields, codeFields = {} }: ActOptions<B, R>): Act<B, R> {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ActFailure>();
  const inFlight = useRef<Promise<R | undefined> | undefined>(undefined);
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });

  const run = useCallback(
    (body: B): Promise<R | undefined> => {
      // A double click, or Enter pressed twice: the second waits for the first, and sends nothing.
      if (inFlight.current) return inFlight.current;
      setPending(true);
      setFailure(undefined);
      const attempt = async (): Promise<R | undefined> => {
        const sent = await sendAct(name, body, (b, key) => sendRef.current(b, key));
        if ('failure' in sent) setFailure(sent.failure);
        return 'result' in sent ? sent.result : undefined;
      };
      const running = attempt().finally(() => {
        inFlight.current = undefined;
        setPending(false);
      });
      inFlight.current = running;
      return running;
    },
    [name],
  );

  const placed = new Map<string, string>();
  const unplaced: string[] = [];
  if (failure?.kind === 'refused') {
    const { problem } = failure;
    const errors = Array.isArray(problem.body.errors) ? (problem.body.errors as { field: string; reasons: string[] }[]) : [];
    if (problem.code === 'REQUEST.INVALID' && errors.length > 0) {
      for (const error of errors) {
        const place = placeOf(error.field, fields);
        const message = reasonMessage(error.reasons, valueAt(failure.body, error.field));
        if (place && !placed.has(place)) placed.set(place, message);
        else if (!place) unplaced.push(`${error.field} : ${message}`);
      }
    } else {
      const field = typeof problem.body.field === 'string' ? problem.body.field : codeFields[problem.code];
      const place = field ? placeOf(field, fields) : undefined;
      if (place) placed.set(place, problemMessage(problem));
      else unplaced.push(problemMessage(problem));
    }
  }

  return {
    run,
    pending,
    failure,
    errorOf: (field) => placed.get(field),
    unplaced,
    dismiss: () => setFailure(undefined),
  };
}

/**
 * Runs a form's submission once at a time (a double click submits once), with its progress; after
 * a refusal, focus goes to the first field marked invalid, whose message screen readers then read.
 */
export function useSubmit(submit: () => Promise<void>): { onSubmit: (event?: FormEvent) => void; pending: boolean } {
  const [pending, setPending] = useState(false);
  const [submissions, setSubmissions] = useState(0);
  const running = useRef(false);
  useEffect(() => {
    if (submissions > 0) document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus();
  }, [submissions]);
  const onSubmit = (event?: FormEvent) => {
    event?.preventDefault();
    if (running.current) return;
    running.current = true;
    setPending(true);
    void submit().finally(() => {
      running.current = false;
      setPending(false);
      setSubmissions((n) => n + 1);
    });
  };
  return { onSubmit, pending };
}

/**
 * The form's button: disabled and saying so while the act is on its way; `disabled` too while the
 * form cannot be sent yet (say why beside it, named by `aria-describedby`).
 */
export function SubmitButton({
  pending,
  disabled = false,
  children,
  ...props
}: { pending: boolean; disabled?: boolean; children: ReactNode; 'aria-describedby'?: string } & Omit<ButtonProps, 'type' | 'disabled'>) {
  const { t } = useTranslation();
  return (
    <Button
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending}
      leftSection={pending ? <Loader size={14} color="currentColor" aria-hidden /> : undefined}
      {...props}
    >
      {pending ? t('act.pending') : children}
    </Button>
  );
}

/**
 * What the form's button says about the last attempt: no answer (retrying records once); a
 * refusal, beside the fields it concerns (summarised here) or here when it concerns none; a 409
 * conflict offers to reload what the form shows (the draft stays).
 */
export function ActFailureNotice({ acts, onReload }: { acts: readonly Act<never, unknown>[]; onReload?: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const failed = acts.find((act) => act.failure);
  if (!failed?.failure) return null;
  if (failed.failure.kind === 'lost')
    return (
      // Orange for "not sure": its darkest shade is under AA contrast for the title, which is written near black.
      <Alert color="orange.9" variant="outline" role="alert" title={t('act.lostTitle')} styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
        <Text size="sm">{t('act.lost')}</Text>
      </Alert>
    );
  const { problem } = failed.failure;
  const conflict = problem.status === 409 && !isTransient(problem);
  const reload = () => {
    failed.dismiss();
    if (onReload) onReload();
    else void queries.invalidateQueries();
  };
  return (
    <Alert color="red.9" variant="outline" role="alert" title={t(isTransient(problem) ? 'act.notRecordedTitle' : 'act.refusedTitle')}>
      <Stack gap={6}>
        {failed.unplaced.length === 0 ? (
          <Text size="sm">{t('act.seeFields')}</Text>
        ) : (
          failed.unplaced.map((message) => (
            <Text size="sm" key={message}>
              {message}
            </Text>
          ))
        )}
        {isTransient(problem) && <Text size="sm">{t('act.retryLater')}</Text>}
        {conflict && (
          <Group>
            <Button size="xs" variant="default" onClick={reload}>
              {t('act.reload')}
            </Button>
            <Text size="xs">{t('act.reloadKeeps')}</Text>
          </Group>
        )}
        <Text size="xs" ff="monospace">
          {problem.code}
        </Text>
      </Stack>
    </Alert>
  );
}
