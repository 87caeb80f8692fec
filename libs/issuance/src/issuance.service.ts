import {
  Actor,
  ActiveEnrollment,
  Bloc,
  CandidateEvent,
  CandidateIdentity,
  candidateStreamId,
  certificationKindOf,
  decideEnrollment,
  DomainError,
  EnrollmentEvent,
  EnrollmentState,
  enrollmentIdOf,
  enrollmentStreamId,
  EventOf,
  evolveCandidate,
  foldEnrollment,
  initialCandidateState,
  isWithheld,
  Protected,
  Referential,
  RevocationReason,
} from '@jalon/domain';
import { Errata, shippedErrata, withErrata } from '@jalon/catalogue';
import { EventStore, fromRecorded, RecordedEvent, START, StreamCommandHandler } from '@jalon/event-store';
import { PersonalDataVault, readOpened } from '@jalon/privacy';
import { createHash } from 'node:crypto';
import { documentNumber } from './document-number';
import { DocumentBloc, DocumentCertification, IssuedDocumentModel, IssuerKey, Signatory } from './document-model';
import { DocumentStorage } from './document-storage';
import { issueCredential, renderPdf } from './render';
import { SigningKeySource } from './keys';
import { StatusListAllocator } from './status-list/status-lists';

export interface IssueJob {
  readonly kind: 'attestation' | 'certificate';
  readonly enrollmentId: string;
  readonly decisionEventId: string;
}

export interface RevokeJob {
  readonly enrollmentId: string;
  readonly number: string;
  readonly reasonCategory: RevocationReason;
}

export interface IssuanceDependencies {
  /** Where the decisions are read. */
  readonly store: EventStore;
  /** How the documents are recorded on their enrollment (privacy's enrollmentCommandHandler, built once per process). */
  readonly enrollments: StreamCommandHandler<EnrollmentState, EnrollmentEvent>;
  readonly documents: DocumentStorage;
  readonly referential: (referentialId: string, version: string) => Promise<Referential>;
  /**
   * What credentials are signed with: the issuer's key ring (asked at each document, so a rotation
   * made by another process is followed at once), or one fixed key (tests, benchmarks).
   */
  readonly key: IssuerKey | SigningKeySource;
  /** e.g. https://jalon.example.org — the verification page is <base>/verify/<number>. */
  readonly publicBaseUrl: string;
  /** Opens the candidate's identity for the document, and seals what is recorded. */
  readonly vault: PersonalDataVault;
  /**
   * Gives each document its entry in a revocation status list (its credential's credentialStatus),
   * once per number: issuing again finds the same entry, so the same bytes. Without it (tests that
   * need none), credentials carry no status.
   */
  readonly statusList?: StatusListAllocator;
  /** Who signs the documents for the certifier (R15), where configured. */
  readonly signatory?: Signatory;
  /**
   * Who issues a référentiel's documents, where an instance has several issuers (each certifier of
   * CERTIFIERS its certifications', the default issuer the rest): its key, status list, signatory,
   * and the certifier's names printed. Absent: `key`, `statusList` and `signatory` for every document.
   */
  readonly issuerOf?: (referentialId: string) => DocumentIssuerSettings;
}

/** What issuing as one issuer takes: how to sign as it, its status lists, who signs for it, and (a configured certifier) its names. */
export interface DocumentIssuerSettings {
  readonly key: IssuerKey | SigningKeySource;
  readonly statusList?: StatusListAllocator;
  readonly signatory?: Signatory;
  /** Printed as the certifier instead of the référentiel's: the certifier's legal name, and its trade name. */
  readonly certifier?: { readonly legalName: string; readonly tradeName?: string };
}

/** What a document shows besides its holder. */
export type DocumentFacts = Omit<IssuedDocumentModel, 'candidate'>;

const SYSTEM: Actor = { id: 'jalon-issuance', role: 'system' };
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export const verificationUrl = (publicBaseUrl: string, number: string) => `${publicBaseUrl.replace(/\/+$/, '')}/verify/${number}`;

/**
 * Turns a decision into its documents (DESIGN.md decision 5): render the PDF and the signed
 * credential, store them, then record "issued" with their hashes and the expected revision. Every
 * step can run twice: the number and the bytes derive from the decision, and the stream says
 * whether it was already recorded, so a job that runs twice issues once.
 */
export class Issuance {
  constructor(private readonly deps: IssuanceDependencies) {}

  /**
   * 'holder-erased': the candidate's personal data was erased before the document existed; a
   * document without its holder's name attests nothing, so none is made.
   */
  async issue(job: IssueJob): Promise<'issued' | 'already-issued' | 'decision-withdrawn' | 'holder-erased'> {
    const events = await this.deps.store.readStream(enrollmentStreamId(job.enrollmentId));
    // Documents, decisions and the candidate id are clear fields: no need to open anything here.
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none') throw new Error(`enrollment ${job.enrollmentId} does not exist`);
    if (Object.values(state.documents).some((d) => d.decisionEventId === job.decisionEventId)) return 'already-issued';
    // A decision annulled since (its bloc perhaps validated again by a later decision), here or where it was carried, gets no document.
    if (await withdrawnSince(job, events, (streamId) => this.deps.store.readStream(streamId))) return 'decision-withdrawn';
    const holder = await this.holder(state.candidateId);
    if (isWithheld(holder)) return 'holder-erased';
    const { model, pdf, credential } = await this.render(job, state, events, holder);
    await this.deps.documents.put(model.number, 'pdf', pdf);
    await this.deps.documents.put(model.number, 'credential', credential);
    // An erasure may have run while this was rendered: its deletion may have come before these
    // files did. Looking again after writing closes the window: either the erasure sees the files
    // (its key destruction comes before its deletion), or this sees the key gone and removes them.
    if (isWithheld(await this.holder(state.candidateId))) {
      await this.deps.documents.remove(model.number);
      return 'holder-erased';
    }
    const document = {
      kind: job.kind,
      number: model.number,
      decisionEventId: job.decisionEventId,
      ...(model.bloc ? { blocCode: model.bloc.code } : {}),
      pdfSha256: sha256(pdf),
      credentialSha256: sha256(credential),
    };
    try {
      const result = await this.record(job.enrollmentId, state, (now) => ({ type: 'RecordDocumentIssued', data: { document, by: SYSTEM, now } }), events);
      return result.events.length > 0 ? 'issued' : 'already-issued';
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ISSUANCE.DECISION_WITHDRAWN') return 'decision-withdrawn';
      throw error;
    }
  }

  /**
   * Renders an issued document again under its number (a new wording, font or signing key) and,
   * when its bytes differ, stores them as its next version and records it (DocumentReissued):
   * the earlier version's files stay archived, the verification checks the new ones. A revoked
   * document is not replaced; one whose holder is erased cannot be.
   */
  async reissue(enrollmentId: string, number: string, reason: string): Promise<'reissued' | 'unchanged' | 'revoked' | 'holder-erased' | 'unknown'> {
    const events = await this.deps.store.readStream(enrollmentStreamId(enrollmentId));
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none' || !state.documents[number]) return 'unknown';
    const recorded = state.documents[number];
    if (recorded.revokedAt) return 'revoked';
    const holder = await this.holder(state.candidateId);
    if (isWithheld(holder)) return 'holder-erased';
    const { pdf, credential } = await this.render({ kind: recorded.kind, enrollmentId, decisionEventId: recorded.decisionEventId }, state, events, holder);
    if (sha256(pdf) === recorded.pdfSha256 && sha256(credential) === recorded.credentialSha256) return 'unchanged';
    const version = (recorded.version ?? 1) + 1;
    // Stored under the new version before it is recorded: until then readers follow the recorded one.
    await this.deps.documents.put(number, 'pdf', pdf, version);
    await this.deps.documents.put(number, 'credential', credential, version);
    if (isWithheld(await this.holder(state.candidateId))) {
      await this.deps.documents.remove(number);
      return 'holder-erased';
    }
    const reissue = { number, version, pdfSha256: sha256(pdf), credentialSha256: sha256(credential), reason };
    try {
      const result = await this.record(enrollmentId, state, (now) => ({ type: 'RecordDocumentReissued', data: { reissue, by: SYSTEM, now } }), events);
      return result.events.length > 0 ? 'reissued' : 'unchanged';
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ISSUANCE.DOCUMENT_REVOKED') return 'revoked';
      throw error;
    }
  }

  /** Every document issued so far, in the order of the log, for `reissue` to go through. */
  async *issuedDocuments(): AsyncGenerator<{ readonly enrollmentId: string; readonly number: string }> {
    for (let after = START; ;) {
      const batch = await this.deps.store.readAll({ after, maxCount: 1000 });
      if (batch.length === 0) return;
      for (const event of batch) {
        const enrollmentId = enrollmentIdOf(event.streamId);
        if (event.type !== 'DocumentIssued' || !enrollmentId) continue;
        yield { enrollmentId, number: (event.data as EventOf<'DocumentIssued'>['data']).document.number };
      }
      after = batch[batch.length - 1].position;
    }
  }

  /** The document's PDF and signed credential, as the decision and the référentiel give them today. */
  private async render(job: IssueJob, state: ActiveEnrollment, events: readonly RecordedEvent[], holder: IssuedDocumentModel['candidate']) {
    const facts = await this.facts(job, state, events);
    const issuer = this.issuerOf(state.referentialId);
    const statusListEntry = await issuer.statusList?.allocate(facts.number);
    const model = { ...facts, ...(statusListEntry ? { statusListEntry } : {}), candidate: holder };
    const pdf = await renderPdf(model);
    const key = 'signingKey' in issuer.key ? await issuer.key.signingKey() : issuer.key;
    const credential = Buffer.from(issueCredential(model, key), 'utf8');
    return { model, pdf, credential };
  }

  /** Who issues the référentiel's documents: the one `issuerOf` names, else this service's single issuer. */
  private issuerOf(referentialId: string): DocumentIssuerSettings {
    if (this.deps.issuerOf) return this.deps.issuerOf(referentialId);
    return {
      key: this.deps.key,
      ...(this.deps.statusList ? { statusList: this.deps.statusList } : {}),
      ...(this.deps.signatory ? { signatory: this.deps.signatory } : {}),
    };
  }

  async revoke(job: RevokeJob): Promise<'revoked' | 'already-revoked' | 'never-issued'> {
    const events = await this.deps.store.readStream(enrollmentStreamId(job.enrollmentId));
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none') throw new Error(`enrollment ${job.enrollmentId} does not exist`);
    // Not issued yet: the issuing job will find the decision withdrawn and issue nothing.
    if (!state.documents[job.number]) return 'never-issued';
    const result = await this.record(
      job.enrollmentId,
      state,
      (now) => ({ type: 'RecordDocumentRevoked', data: { number: job.number, reasonCategory: job.reasonCategory, by: SYSTEM, now } }),
      events,
    );
    return result.events.length > 0 ? 'revoked' : 'already-revoked';
  }

  private async record(
    enrollmentId: string,
    current: ActiveEnrollment,
    build: (now: string) => Parameters<typeof decideEnrollment>[0],
    known?: readonly RecordedEvent[],
  ) {
    const referential = await this.deps.referential(current.referentialId, current.version);
    // Recording a document needs no personal fact: it decides on them sealed, from the stream as issue() read it.
    return this.deps.enrollments.handle(enrollmentId, (state) => decideEnrollment(build(new Date().toISOString()), state, { referential }), { known });
  }

  /** The candidate's identity, opened (what a caller shows of it is theirs to record, R14), or `erased` once their personal data is erased. */
  async identity(candidateId: string): Promise<Protected<CandidateIdentity>> {
    const { events } = await readOpened<CandidateEvent>(this.deps.store, this.deps.vault, candidateStreamId(candidateId));
    const candidate = events.reduce(evolveCandidate, initialCandidateState());
    if (candidate.status === 'none') throw new Error(`candidate ${candidateId} is not registered`);
    return candidate.identity;
  }

  /** The holder's identity as the document prints it, or `erased` once their personal data is erased. */
  async holder(candidateId: string): Promise<Protected<IssuedDocumentModel['candidate']>> {
    const opened = await this.identity(candidateId);
    if (isWithheld(opened)) return opened;
    const identity: CandidateIdentity = opened;
    return {
      birthName: identity.birthName,
      ...(identity.usageName ? { usageName: identity.usageName } : {}),
      firstNames: identity.firstNames,
      birthDate: identity.birthDate,
    };
  }

  /** What the document shows besides its holder, from the decision event and the référentiel. */
  async facts(job: IssueJob, state: ActiveEnrollment, events: readonly RecordedEvent[]): Promise<DocumentFacts> {
    const decision = events.find((e) => e.id === job.decisionEventId);
    if (!decision) throw new Error(`decision ${job.decisionEventId} is not in enrollment ${job.enrollmentId}`);
    const referential = await this.deps.referential(state.referentialId, state.version);
    const data = decision.data as {
      blocCode?: string;
      decidedBy?: 'jury' | 'automatic-rule';
      at: string;
      place?: string;
      optionBlocs?: string[];
      blocs?: string[];
    };
    const number = documentNumber(job.kind, job.decisionEventId);
    const blocOf = (code: string) => referential.blocs.find((b) => b.code === code);
    const issuer = this.issuerOf(state.referentialId);
    return {
      kind: job.kind,
      number,
      verificationUrl: verificationUrl(this.deps.publicBaseUrl, number),
      certification: documentCertification(referential, issuer.certifier),
      referentialId: referential.referential,
      version: referential.version,
      ...(job.kind === 'attestation' && data.blocCode ? { bloc: documentBloc(data.blocCode, blocOf(data.blocCode)) } : {}),
      ...(job.kind === 'certificate'
        ? {
            options: (data.optionBlocs ?? []).map((code) => ({ code, label: blocOf(code)?.optionLabel ?? blocOf(code)?.title ?? code })),
            blocs: (data.blocs ?? []).map((code) => documentBloc(code, blocOf(code))),
          }
        : {}),
      ...(issuer.signatory ? { signatory: issuer.signatory } : {}),
      decision: { date: data.at, ...(data.place ? { place: data.place } : {}), by: job.kind === 'certificate' ? 'jury' : (data.decidedBy ?? 'jury') },
      enrollmentId: job.enrollmentId,
      decisionEventId: job.decisionEventId,
    };
  }
}

/**
 * The certification as its référentiel states it: each identity field only where stated, the kind
 * resolved; the certifier, where a configured certifier issues it, as configured (its legal name and
 * trade name) rather than as the référentiel names it. What the file only assumes is left out: its
 * `certification.assumed`, and the statements an erratum of the catalogue marks as assumed in a
 * version published before it could say so (referentials/errata.yaml).
 */
export function documentCertification(
  referential: Referential,
  issuing?: DocumentIssuerSettings['certifier'],
  errata: Errata = shippedErrata(),
): DocumentCertification {
  const stated = withErrata(referential, errata).certification;
  const { title, rncpCode, rsCode, registration, nsfCodes, level, eqfLevel } = stated;
  const certifier = issuing ? issuing.legalName : stated.certifier;
  const statedRegistration = registration && Object.values(registration).some((value) => value?.trim());
  return {
    kind: certificationKindOf(referential),
    title,
    ...(rncpCode?.trim() ? { rncpCode: rncpCode.trim() } : {}),
    ...(rsCode?.trim() ? { rsCode: rsCode.trim() } : {}),
    ...(statedRegistration ? { registration: { ...registration } } : {}),
    ...(nsfCodes?.length ? { nsfCodes: [...nsfCodes] } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(eqfLevel !== undefined ? { eqfLevel } : {}),
    ...(certifier?.trim() ? { certifier: certifier.trim() } : {}),
    ...(issuing?.tradeName?.trim() ? { certifierTradeName: issuing.tradeName.trim() } : {}),
  };
}

/** A bloc by its title where the référentiel gives one, else by its code and its competencies. */
function documentBloc(code: string, bloc: Bloc | undefined): DocumentBloc {
  const title = bloc?.title?.trim();
  if (title) return { code, title };
  return bloc?.competencies.length ? { code, competencies: bloc.competencies.map((c) => ({ code: c.code, title: c.title })) } : { code };
}

/**
 * Whether the decision was withdrawn after it was taken: the certification revoked, or its bloc
 * annulled, here or on an enrollment a transfer carried it to (R13: the carried bloc rests on this
 * attestation), through every transfer since. A carried bloc annulled while this runs is caught by
 * the process manager, which revokes the document as its issue is read.
 */
async function withdrawnSince(job: IssueJob, events: readonly RecordedEvent[], readStream: (streamId: string) => Promise<RecordedEvent[]>): Promise<boolean> {
  const at = events.findIndex((e) => e.id === job.decisionEventId);
  if (at < 0) return false;
  if (job.kind === 'certificate') return events.slice(at + 1).some((e) => e.type === 'CertificationRevoked');
  let blocCode = (events[at].data as { blocCode?: string }).blocCode;
  let later = events.slice(at + 1);
  for (const followed = new Set<string>(); ;) {
    if (later.some((e) => e.type === 'BlocAnnulled' && (e.data as { blocCode?: string }).blocCode === blocCode)) return true;
    const out = later.find((e) => e.type === 'EnrollmentTransferredOut')?.data as EventOf<'EnrollmentTransferredOut'>['data'] | undefined;
    const carried = out?.carriedBlocs.find((c) => c.fromBloc === blocCode);
    if (!out || !carried || followed.has(out.toEnrollmentId)) return false;
    followed.add(out.toEnrollmentId);
    later = await readStream(enrollmentStreamId(out.toEnrollmentId));
    blocCode = carried.toBloc;
  }
}
