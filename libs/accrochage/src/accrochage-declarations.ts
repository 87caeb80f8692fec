import { createWriteStream, WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { AccrochageCertifier } from '@jalon/config';
import {
  AccrochageEvent,
  AccrochageState,
  accrochageStreamId,
  CandidateEvent,
  CandidateIdentity,
  candidateStreamId,
  ConflictError,
  decideAccrochage,
  DeclaredHolder,
  evolveAccrochage,
  evolveCandidate,
  ForbiddenError,
  HolderProblem,
  initialAccrochageState,
  initialCandidateState,
  INITIATIVE_INSCRIPTION,
  isWithheld,
  MODALITE_ACCES,
  NotFoundError,
  Referential,
  Titulaire,
  titulaireOf,
  VOIE_ACCES_VAE,
} from '@jalon/domain';
import { EventStore, fromRecorded, newId, SqlDb, StreamCommandHandler } from '@jalon/event-store';
import { PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { AwardedHolder, awardedHolders, countAwardedHolders, holdersByEnrollment, parisDate } from '@jalon/read-models';
import { certificationClosing, certificationOpening, fluxHead, fluxTail, horodatage, Passage, passage } from './flux-xml';

/** Who asks: an admin of the certifier's organisation. */
export interface DeclaringActor {
  readonly id: string;
  readonly role: string;
  readonly organisationId: string;
}

export interface DeclarationRequest {
  readonly certifierId: string;
  /** Awards from / to these Paris dates (YYYY-MM-DD), both included; absent: every award. */
  readonly from?: string;
  readonly to?: string;
  /** Declare again the holders already declared under the same id (after a correction). */
  readonly redeclare?: boolean;
  readonly actor: DeclaringActor;
  /** Where the flux is written (a file path); absent: recorded only, fetched later by its id. */
  readonly out?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

interface HolderRef {
  readonly enrollmentId: string;
  readonly candidateId: string;
}

/** What an export did, holder by holder: the admin's report. Problems name fields, never values. */
export interface DeclarationReport {
  readonly certifierId: string;
  /** Absent when no holder was left to declare: nothing was recorded and no file written. */
  readonly fluxId?: string;
  readonly declared: readonly (HolderRef & { readonly idTechnique: string; readonly redeclared?: boolean })[];
  readonly alreadyDeclared: number;
  /** A missing or invalid field: completed, they go in the next flux. */
  readonly refused: readonly (HolderRef & { readonly problems: readonly HolderProblem[] })[];
  /** Declared, then annulled: the certifier corrects it with the Caisse des Dépôts. */
  readonly toCorrect: readonly (HolderRef & { readonly idTechnique: string; readonly declaredFluxId?: string })[];
  /** Annulled before ever being declared: nothing to send. */
  readonly annulled: readonly HolderRef[];
  /** Personal data erased (R14): cannot be declared. */
  readonly erased: readonly HolderRef[];
}

export interface AccrochageDeps {
  readonly db: SqlDb;
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  readonly readLog: PersonalDataReadLog;
  readonly declarations: StreamCommandHandler<AccrochageState, AccrochageEvent>;
  readonly referential: (id: string, version: string) => Promise<Referential>;
  readonly certifiers: readonly AccrochageCertifier[];
  readonly verificationUrl: (number: string) => string;
  readonly now?: () => Date;
}

/** The identity fields a declaration reads: what the read log names (never their values). */
const IDENTITY_FIELDS = ['birthName', 'usageName', 'firstNames', 'birthDate', 'sex', 'birthPlaceCodes'];
const MODALITE_PASSAGE = { 'on-site': 'EN_PRESENTIEL', distance: 'A_DISTANCE', mixed: 'MIXTE' } as const;
const PAGE = 500;

/**
 * The accrochage: each certifier's holders declared to the Caisse des Dépôts from the log, exactly
 * once. An export reads the awards of the certifier's certifications (read model
 * `accrochage_holders`), opens each holder's identity (a recorded read, R14), checks it against the
 * CDC's schema, records the flux (`AccrochageDeclared`: its id, the holders and their ids, who,
 * when), and writes the XML of exactly the holders recorded, page by page.
 */
export class AccrochageDeclarations {
  constructor(private readonly deps: AccrochageDeps) {}

  /** The certifiers this admin declares for. */
  certifiersOf(actor: DeclaringActor): readonly AccrochageCertifier[] {
    return this.deps.certifiers.filter((c) => c.organisationId === actor.organisationId);
  }

  /** The certifier, if this admin declares for it (another organisation's does not exist for them). */
  certifier(certifierId: string, actor: DeclaringActor): AccrochageCertifier {
    if (this.deps.certifiers.length === 0)
      throw new ConflictError(
        'ACCROCHAGE.NOT_CONFIGURED',
        'the accrochage is off: no certifier gives its CDC ids (CERTIFIERS: senderClientId, certifierClientId, contractId)',
      );
    if (actor.role !== 'admin') throw new ForbiddenError('ACCROCHAGE.NOT_ADMIN', 'only an admin of the certifier declares its holders');
    const certifier = this.deps.certifiers.find((c) => c.id === certifierId && c.organisationId === actor.organisationId);
    if (!certifier) throw new NotFoundError('ACCROCHAGE.UNKNOWN_CERTIFIER', `no certifier "${certifierId}" is configured for this organisation`);
    return certifier;
  }

  async declare(request: DeclarationRequest): Promise<DeclarationReport> {
    const certifier = this.certifier(request.certifierId, request.actor);
    const now = (this.deps.now ?? (() => new Date()))();
    const fluxId = `JALON-${newId('accrochage-flux').replace(/-/g, '').slice(0, 32).toUpperCase()}`;
    const state = await this.state(certifier.id);
    const total = await countAwardedHolders(this.deps.db, this.filters(certifier, request));
    const report = {
      declared: [] as DeclarationReport['declared'][number][],
      alreadyDeclared: 0,
      refused: [] as DeclarationReport['refused'][number][],
      toCorrect: [] as DeclarationReport['toCorrect'][number][],
      annulled: [] as HolderRef[],
      erased: [] as HolderRef[],
    };
    const toDeclare: DeclaredHolder[] = [];
    const candidateOf = new Map<string, string>();
    const file = request.out ? new FluxFile(request.out, { idFlux: fluxId, horodatage: horodatage(now), ...certifier }) : undefined;
    let done = 0;
    try {
      for (const group of groupsOf(certifier)) {
        file?.openCertification(group.type, group.code);
        for await (const page of awardedHolders(this.deps.db, { ...this.filters(certifier, request), referentialIds: group.referentialIds }, PAGE)) {
          const candidates: AwardedHolder[] = [];
          for (const holder of page) {
            const ref = { enrollmentId: holder.enrollmentId, candidateId: holder.candidateId };
            const declaredUnderItsId = holder.status === 'declared' || state.declared.get(holder.enrollmentId)?.idTechnique === holder.idTechnique;
            if (holder.status === 'annulled') report.annulled.push(ref);
            else if (holder.status === 'to-correct')
              report.toCorrect.push({ ...ref, idTechnique: holder.idTechnique, ...(holder.declaredFluxId ? { declaredFluxId: holder.declaredFluxId } : {}) });
            else if (holder.status === 'erased') report.erased.push(ref);
            else if (declaredUnderItsId && !request.redeclare) report.alreadyDeclared += 1;
            else candidates.push(holder);
          }
          for (const { holder, titulaire, problems } of await this.passages(candidates, request.actor)) {
            const ref = { enrollmentId: holder.enrollmentId, candidateId: holder.candidateId };
            if (problems === 'erased') report.erased.push(ref);
            else if (problems) report.refused.push({ ...ref, problems });
            else {
              toDeclare.push({ enrollmentId: holder.enrollmentId, idTechnique: holder.idTechnique });
              candidateOf.set(holder.enrollmentId, holder.candidateId);
              file?.write(passage(await this.passageOf(holder, titulaire!)));
            }
          }
          await file?.drain();
          done += page.length;
          request.onProgress?.(done, total);
        }
        file?.closeCertification();
      }
      if (toDeclare.length === 0) {
        await file?.discard();
        return { certifierId: certifier.id, ...report };
      }
      const result = await this.deps.declarations.handle(
        certifier.id,
        (current) =>
          decideAccrochage(
            {
              type: 'RecordAccrochageDeclaration',
              data: {
                fluxId,
                certifierId: certifier.id,
                holders: toDeclare,
                redeclare: request.redeclare ?? false,
                ...(request.from || request.to
                  ? { period: { ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}) } }
                  : {}),
                by: { id: request.actor.id, role: 'admin' },
                now: now.toISOString(),
              },
            },
            current,
          ),
        { organisationId: request.actor.organisationId },
      );
      const recorded = result.events[0]?.data.holders ?? [];
      report.declared.push(
        ...recorded.map((h) => ({
          enrollmentId: h.enrollmentId,
          candidateId: candidateOf.get(h.enrollmentId)!,
          idTechnique: h.idTechnique,
          ...(h.redeclared ? { redeclared: true } : {}),
        })),
      );
      if (file) {
        // Another export declared some of them meanwhile: the file says exactly what this flux recorded.
        if (recorded.length !== toDeclare.length) {
          await file.discard();
          if (recorded.length > 0) await this.writeFlux(certifier.id, fluxId, request.out!, request.actor);
        } else await file.finish();
      }
      return { certifierId: certifier.id, ...(recorded.length > 0 ? { fluxId } : {}), ...report };
    } catch (error) {
      await file?.discard();
      throw error;
    }
  }

  /** A recorded flux, to write again from its event; refused before anything is written when there is none. */
  async recordedFlux(
    certifierId: string,
    fluxId: string,
    actor: DeclaringActor,
  ): Promise<{ holders: number; write(out: string | NodeJS.WritableStream): Promise<unknown> }> {
    const certifier = this.certifier(certifierId, actor);
    const event = await this.fluxEvent(certifier.id, fluxId);
    return { holders: event.data.holders.length, write: (out) => this.writeFlux(certifier.id, fluxId, out, actor) };
  }

  private async fluxEvent(certifierId: string, fluxId: string): Promise<AccrochageEvent> {
    const recorded = await this.deps.store.readStream(accrochageStreamId(certifierId));
    const event = recorded.map((r) => fromRecorded<AccrochageEvent>(r)).find((e) => e.data.fluxId === fluxId);
    if (!event) throw new NotFoundError('ACCROCHAGE.UNKNOWN_FLUX', `certifier "${certifierId}" recorded no flux ${fluxId}`);
    return event;
  }

  /** A recorded flux written again from its event: the same id, timestamp and holders (their identity as it stands now). */
  async writeFlux(
    certifierId: string,
    fluxId: string,
    out: string | NodeJS.WritableStream,
    actor: DeclaringActor,
  ): Promise<{ holders: number; left: HolderRef[] }> {
    const certifier = this.certifier(certifierId, actor);
    const event = await this.fluxEvent(certifier.id, fluxId);
    const ids = new Map(event.data.holders.map((h) => [h.enrollmentId, h.idTechnique]));
    const file = new FluxFile(out, { idFlux: fluxId, horodatage: horodatage(new Date(event.data.at)), ...certifier });
    const left: HolderRef[] = [];
    let holders = 0;
    try {
      for (const group of groupsOf(certifier)) {
        file.openCertification(group.type, group.code);
        const enrollmentIds = [...ids.keys()];
        for (let i = 0; i < enrollmentIds.length; i += PAGE) {
          const page = (await holdersByEnrollment(this.deps.db, enrollmentIds.slice(i, i + PAGE))).filter((h) =>
            group.referentialIds.includes(h.referentialId),
          );
          for (const { holder, titulaire, problems } of await this.passages(page, actor)) {
            if (problems) {
              left.push({ enrollmentId: holder.enrollmentId, candidateId: holder.candidateId });
              continue;
            }
            file.write(passage({ ...(await this.passageOf(holder, titulaire!)), idTechnique: ids.get(holder.enrollmentId)! }));
            holders += 1;
          }
          await file.drain();
        }
        file.closeCertification();
      }
      await file.finish();
      return { holders, left };
    } catch (error) {
      await file.discard();
      throw error;
    }
  }

  private filters(certifier: AccrochageCertifier, request: { from?: string; to?: string }) {
    return {
      organisationId: certifier.organisationId,
      referentialIds: certifier.certifications.map((c) => c.referentialId),
      ...(request.from ? { from: request.from } : {}),
      ...(request.to ? { to: request.to } : {}),
    };
  }

  private async state(certifierId: string): Promise<AccrochageState> {
    const recorded = await this.deps.store.readStream(accrochageStreamId(certifierId));
    return recorded.map((r) => fromRecorded<AccrochageEvent>(r)).reduce(evolveAccrochage, initialAccrochageState());
  }

  /** The holders' identities opened (one recorded read each, R14) and checked against the CDC's schema. */
  private async passages(
    holders: readonly AwardedHolder[],
    actor: DeclaringActor,
  ): Promise<{ holder: AwardedHolder; titulaire?: Titulaire; problems?: HolderProblem[] | 'erased' }[]> {
    if (holders.length === 0) return [];
    const candidateIds = [...new Set(holders.map((h) => h.candidateId))];
    const streams = await mapLimited(candidateIds, 16, (id) => this.deps.store.readStream(candidateStreamId(id)));
    // One look-up of every key of the page, then each candidate's stream folded on its own.
    const opened = await this.deps.vault.open(streams.flat().map((r) => ({ ...fromRecorded<CandidateEvent>(r), streamId: r.streamId })));
    const identities = new Map<string, CandidateIdentity | 'erased'>();
    for (const id of candidateIds) {
      const state = opened.filter((e) => e.streamId === candidateStreamId(id)).reduce(evolveCandidate, initialCandidateState());
      if (state.status === 'registered') identities.set(id, isWithheld(state.identity) || state.erasedAt ? 'erased' : state.identity);
    }
    await this.deps.readLog.recordMany(
      holders
        .filter((h) => identities.get(h.candidateId) !== 'erased')
        .map((h) => ({ actor, candidateId: h.candidateId, enrollmentId: h.enrollmentId, view: 'identity:accrochage', subjects: IDENTITY_FIELDS })),
    );
    return holders.map((holder) => {
      const identity = identities.get(holder.candidateId);
      if (identity === undefined) return { holder, problems: [{ field: 'candidateId', reason: 'no registered candidate' }] };
      if (identity === 'erased') return { holder, problems: 'erased' };
      const checked = titulaireOf(identity);
      return 'titulaire' in checked ? { holder, titulaire: checked.titulaire } : { holder, problems: checked.problems };
    });
  }

  private async passageOf(holder: AwardedHolder, titulaire: Titulaire): Promise<Passage> {
    const referential = await this.deps.referential(holder.referentialId, holder.version);
    // The option as the référentiel names it (« Data Science »), else its bloc.
    const option = referential.blocs
      .filter((b) => holder.optionBlocs.includes(b.code))
      .map((b) => b.optionLabel ?? (b.title ? `${b.code} ${b.title}` : b.code));
    return {
      idTechnique: holder.idTechnique,
      ...(holder.certificateNumber ? { urlPreuve: this.deps.verificationUrl(holder.certificateNumber) } : {}),
      ...(option.length > 0 ? { libelleOption: option.join(' ; ') } : {}),
      ...(holder.examFirstAt ? { dateDebutExamen: parisDate(holder.examFirstAt), dateFinExamen: parisDate(holder.examLastAt!) } : {}),
      ...(holder.examMode ? { modalitePassageExamen: MODALITE_PASSAGE[holder.examMode] } : {}),
      dateDebutValidite: parisDate(holder.awardedAt),
      modaliteAcces: MODALITE_ACCES[holder.accessRoute],
      ...(holder.vaeVoie ? { voieAccessVAE: VOIE_ACCES_VAE[holder.vaeVoie] } : {}),
      ...(holder.registrationInitiative ? { initiativeInscription: INITIATIVE_INSCRIPTION[holder.registrationInitiative] } : {}),
      dateInscription: parisDate(holder.enrolledAt),
      titulaire,
    };
  }
}

/** The certifier's certifications by CDC code: one `certification` element each, however many référentiels track it. */
function groupsOf(certifier: AccrochageCertifier): { type: string; code: string; referentialIds: string[] }[] {
  const groups = new Map<string, { type: string; code: string; referentialIds: string[] }>();
  for (const c of certifier.certifications) {
    const key = `${c.type}:${c.code}`;
    const group = groups.get(key) ?? { type: c.type, code: c.code, referentialIds: [] };
    group.referentialIds.push(c.referentialId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function mapLimited<T, R>(items: readonly T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await each(items[i]);
      }
    }),
  );
  return results;
}

/**
 * The XML written as it goes, with back-pressure; to a file, it is written beside it and renamed
 * once complete, so a failed export leaves no half file. A certification element is opened only
 * when its first passage comes (the schema wants at least one).
 */
class FluxFile {
  private readonly stream: NodeJS.WritableStream;
  private readonly partial?: string;
  private pending: string | undefined;
  private opened = false;
  /** Set while the stream's buffer is full: resolved at its next 'drain'. */
  private drained: Promise<unknown> | undefined;

  constructor(
    private readonly out: string | NodeJS.WritableStream,
    private readonly head: Parameters<typeof fluxHead>[0] & AccrochageCertifier,
  ) {
    if (typeof out === 'string') {
      this.partial = `${out}.partial`;
      this.stream = createWriteStream(this.partial);
    } else this.stream = out;
    this.push(
      fluxHead({
        idFlux: head.idFlux,
        horodatage: head.horodatage,
        senderClientId: head.senderClientId,
        certifierClientId: head.certifierClientId,
        contractId: head.contractId,
      }),
    );
  }

  openCertification(type: string, code: string): void {
    this.pending = certificationOpening(type, code);
    this.opened = false;
  }

  write(passageXml: string): void {
    if (this.pending) {
      this.push(this.pending);
      this.pending = undefined;
      this.opened = true;
    }
    this.push(passageXml);
  }

  closeCertification(): void {
    if (this.opened) this.push(certificationClosing());
    this.pending = undefined;
    this.opened = false;
  }

  /** Waits while the reader is behind: an export of any size holds one page at a time. */
  async drain(): Promise<void> {
    await this.drained;
  }

  async finish(): Promise<void> {
    this.push(fluxTail());
    await this.drained;
    if (this.partial) {
      const file = this.stream as WriteStream;
      file.end();
      await once(file, 'close');
      await rename(this.partial, this.out as string);
    }
  }

  async discard(): Promise<void> {
    if (!this.partial) return;
    const file = this.stream as WriteStream;
    if (!file.closed) {
      file.end();
      await once(file, 'close').catch(() => undefined);
    }
    await rm(this.partial, { force: true });
  }

  private push(chunk: string): void {
    if (!this.stream.write(chunk) && !this.drained) this.drained = once(this.stream as WriteStream, 'drain').finally(() => (this.drained = undefined));
  }
}
