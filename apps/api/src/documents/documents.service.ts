import { GoneException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { ActiveEnrollment, EnrollmentEvent, enrollmentStreamId, foldEnrollment, isWithheld, NotFoundError } from '@jalon/domain';
import { EventStore, fromRecorded, RecordedEvent } from '@jalon/event-store';
import {
  decisionOfDocument,
  DOCUMENT_NUMBER,
  DocumentFacts,
  DocumentStorage,
  HolderName,
  holderName,
  Issuance,
  IssuanceQueue,
  IssuerKey,
  notIssuedForErasedHolders,
  renderPdf,
  verifyCredential,
} from '@jalon/issuance';
import { DataKeys } from '@jalon/privacy';
import { DOCUMENT_STORAGE, EVENT_STORE, ISSUER_KEY, SQL_DB, SqlDb } from '@jalon/runtime';
import { enrollmentsOfOrganisation, pathDocuments } from '@jalon/read-models';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { assertMayAct } from '../enrollments/enrollment-commands.service';

export interface Verification {
  number: string;
  status: 'valid' | 'revoked' | 'invalid' | 'unknown';
  kind?: 'attestation' | 'certificate';
  /**
   * What the document shows, and nothing more (R14: no personal detail beyond it). `holder` is the
   * name as the document prints it (holderName: prénoms then NOM DE NAISSANCE, the credential's
   * identity hash is of it), `holderUsageName` the nom d'usage printed under it; once the holder's
   * personal data is erased, `holder` is null (and `holderErased` true).
   */
  document?: {
    certificationTitle: string;
    certifier: string;
    level: number;
    rncpCode?: string;
    version: string;
    bloc?: { code: string; title: string };
    options?: { code: string; label: string }[];
    holder: string | null;
    holderUsageName?: string;
    decisionDate: string;
    decisionPlace?: string;
  };
  issuedAt?: string;
  revocation?: { date: string; reasonCategory: string };
  /** Whether the stored files match what was recorded; absent once the holder's personal data (and so the files) are erased. */
  checks?: { pdfHash: boolean; credentialHash: boolean; credentialSignature: boolean };
  /** The holder's personal data was erased (R14): the decision and the document's existence stand, its files and name are gone. */
  holderErased?: true;
}

/** A document whose files went with its holder's personal data (R14): it existed, and is gone for good. */
const filesErased = () =>
  new GoneException({
    code: 'DOCUMENT.ERASED',
    message: 'the document’s files were deleted with its holder’s personal data (erasure): its verification still answers, but it can no longer be downloaded',
  });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Verification, downloads and the issuer's public key: what anyone needs to trust a document. */
@Injectable()
export class DocumentsService {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    @Inject(ISSUER_KEY) private readonly key: IssuerKey,
    private readonly issuance: Issuance,
    private readonly queue: IssuanceQueue,
    private readonly keys: DataKeys,
  ) {}

  private async locate(number: string): Promise<{ enrollmentId: string; kind: 'attestation' | 'certificate'; decisionEventId: string } | undefined> {
    if (!DOCUMENT_NUMBER.test(number)) return undefined;
    return decisionOfDocument(this.db, number);
  }

  /** The enrollment as stored; missing, it is not found, as on every route that names it (a verification says the document is). */
  private async load(
    enrollmentId: string,
    missing = () => new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment'),
  ): Promise<{ state: ActiveEnrollment; events: RecordedEvent[] }> {
    const events = await this.store.readStream(enrollmentStreamId(enrollmentId));
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none') throw missing();
    return { state, events };
  }

  /** Valid, revoked or unknown, after checking the stored files against the recorded hashes and the signature. */
  async verify(number: string): Promise<Verification> {
    const located = await this.locate(number);
    if (!located) return { number, status: 'unknown' };
    const { state, events } = await this.load(located.enrollmentId, () => new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document'));
    const issued = state.documents[number];
    if (!issued) return { number, status: 'unknown' };
    const facts = await this.issuance.facts(located, state, events);
    const holder = await this.issuance.holder(state.candidateId);
    const revocation = issued.revokedAt ? { revocation: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } } : {};
    if (isWithheld(holder)) {
      return {
        number,
        status: issued.revokedAt ? 'revoked' : 'valid',
        kind: issued.kind,
        document: describe(facts, null),
        issuedAt: issued.issuedAt,
        ...revocation,
        holderErased: true,
      };
    }
    const [pdf, credential] = await Promise.all([this.documents.get(number, 'pdf'), this.documents.get(number, 'credential')]);
    const checks = {
      pdfHash: pdf !== undefined && sha256(pdf) === issued.pdfSha256,
      credentialHash: credential !== undefined && sha256(credential) === issued.credentialSha256,
      credentialSignature: credential !== undefined && verifyCredential(credential.toString('utf8'), this.key.publicKeyPem).valid,
    };
    const intact = checks.pdfHash && checks.credentialHash && checks.credentialSignature;
    return {
      number,
      status: !intact ? 'invalid' : issued.revokedAt ? 'revoked' : 'valid',
      kind: issued.kind,
      document: describe(facts, holderName(holder)),
      issuedAt: issued.issuedAt,
      ...revocation,
      checks,
    };
  }

  /** The issuance jobs that failed for good, of the enrollments the actor may see (an auditor: all). */
  async failedIssuance(actor: AuthenticatedActor) {
    // Read past the first hundred: other organisations' failures must not hide this one's.
    const failed = await this.queue.failed(actor.role === 'auditor' ? 100 : 1000);
    if (actor.role === 'auditor' || failed.length === 0) return failed;
    const own = await this.ownEnrollments(
      failed.map((f) => f.data.job.enrollmentId),
      actor,
    );
    return failed.filter((f) => own.has(f.data.job.enrollmentId));
  }

  /** When the candidate's personal data was erased (R14), if it was: their key is gone for good. */
  private async personalDataErasedAt(candidateId: string): Promise<string | undefined> {
    const key = (await this.keys.find([candidateId])).get(candidateId);
    return key?.state === 'erased' ? key.erasedAt : undefined;
  }

  /**
   * The decisions whose document will never be issued, their holder's personal data erased first,
   * of the enrollments the actor may see (an auditor: all): what the reconciler leaves alone.
   */
  async notIssued(actor: AuthenticatedActor) {
    const notIssued = await notIssuedForErasedHolders(this.db, actor.role === 'auditor' ? 100 : 1000);
    if (actor.role === 'auditor' || notIssued.length === 0) return notIssued;
    const own = await this.ownEnrollments(
      notIssued.map((d) => d.enrollmentId),
      actor,
    );
    return notIssued.filter((d) => own.has(d.enrollmentId));
  }

  /** Of these enrollments, those of the actor's organisation. */
  private ownEnrollments(enrollmentIds: readonly string[], actor: AuthenticatedActor): Promise<Set<string>> {
    return enrollmentsOfOrganisation(this.db, enrollmentIds, actor.organisationId);
  }

  /** The documents of an enrollment the actor may see: those issued, then those its holder's erasure left unissued. */
  async list(enrollmentId: string, actor: AuthenticatedActor) {
    const { state } = await this.load(enrollmentId);
    assertMayAct(actor, state);
    return pathDocuments(state, { personalDataErasedAt: await this.personalDataErasedAt(state.candidateId) });
  }

  /**
   * A document issued on the enrollment, to download. Its files were deleted with its holder's
   * personal data (R14): then 410 DOCUMENT.ERASED, for the PDF and the credential alike — the
   * document existed and its verification still answers, but there is nothing left to deliver.
   */
  private async downloadable(enrollmentId: string, number: string, actor: AuthenticatedActor) {
    const { state, events } = await this.load(enrollmentId);
    assertMayAct(actor, state);
    const issued = state.documents[number];
    if (!issued) throw new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document');
    if (await this.personalDataErasedAt(state.candidateId)) throw filesErased();
    return { state, events, issued };
  }

  /** The PDF as issued; a revoked document is rendered again with its revocation printed on it. */
  async pdf(enrollmentId: string, number: string, actor: AuthenticatedActor): Promise<{ bytes: Buffer; revoked: boolean }> {
    const { state, events, issued } = await this.downloadable(enrollmentId, number, actor);
    if (issued.revokedAt) {
      const holder = await this.issuance.holder(state.candidateId);
      // Erased between the two reads: the same answer.
      if (isWithheld(holder)) throw filesErased();
      const model = {
        ...(await this.issuance.facts({ kind: issued.kind, enrollmentId, decisionEventId: issued.decisionEventId }, state, events)),
        candidate: holder,
      };
      return {
        bytes: await renderPdf(model, { revoked: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } }),
        revoked: true,
      };
    }
    const bytes = await this.documents.get(number, 'pdf');
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    return { bytes, revoked: false };
  }

  async credential(enrollmentId: string, number: string, actor: AuthenticatedActor): Promise<{ jwt: string; revoked: boolean }> {
    const { issued } = await this.downloadable(enrollmentId, number, actor);
    const bytes = await this.documents.get(number, 'credential');
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    return { jwt: bytes.toString('utf8'), revoked: Boolean(issued.revokedAt) };
  }
}

function describe(model: DocumentFacts, holder: HolderName | null): NonNullable<Verification['document']> {
  return {
    certificationTitle: model.certificationTitle,
    certifier: model.certifier,
    level: model.level,
    ...(model.rncpCode ? { rncpCode: model.rncpCode } : {}),
    version: model.version,
    ...(model.bloc ? { bloc: model.bloc } : {}),
    ...(model.options && model.options.length > 0 ? { options: [...model.options] } : {}),
    holder: holder?.name ?? null,
    ...(holder?.usageName ? { holderUsageName: holder.usageName } : {}),
    decisionDate: model.decision.date,
    ...(model.decision.place ? { decisionPlace: model.decision.place } : {}),
  };
}
