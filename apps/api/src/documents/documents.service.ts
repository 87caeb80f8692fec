import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ActiveEnrollment, EnrollmentEvent, enrollmentStreamId, foldEnrollment, isWithheld, NotFoundError, Protected } from '@jalon/domain';
import { EventStore, fromRecorded, RecordedEvent } from '@jalon/event-store';
import { DOCUMENT_NUMBER, DocumentFacts, DocumentStorage, Issuance, IssuanceQueue, IssuerKey, renderPdf, verifyCredential } from '@jalon/issuance';
import { DOCUMENT_STORAGE, EVENT_STORE, ISSUER_KEY, SQL_DB, SqlDb } from '@jalon/runtime';
import { issuedDocuments } from '@jalon/read-models';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { assertMayAct } from '../enrollments/enrollment-commands.service';

export interface Verification {
  number: string;
  status: 'valid' | 'revoked' | 'invalid' | 'unknown';
  kind?: 'attestation' | 'certificate';
  /** What the document shows, and nothing more (R14: no personal detail beyond it). */
  document?: { certificationTitle: string; certifier: string; level: number; rncpCode?: string; version: string; bloc?: { code: string; title: string }; options?: { code: string; label: string }[]; holder: Protected<string>; decisionDate: string; decisionPlace?: string };
  issuedAt?: string;
  revocation?: { date: string; reasonCategory: string };
  /** Whether the stored files match what was recorded; absent once the holder's personal data (and so the files) are erased. */
  checks?: { pdfHash: boolean; credentialHash: boolean; credentialSignature: boolean };
  /** The holder's personal data was erased (R14): the decision and the document's existence stand, its files and name are gone. */
  holderErased?: true;
}

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
  ) {}

  private async locate(number: string): Promise<{ enrollmentId: string; kind: 'attestation' | 'certificate'; decisionEventId: string } | undefined> {
    if (!DOCUMENT_NUMBER.test(number)) return undefined;
    const { rows } = await sql<{ enrollment_id: string; kind: 'attestation' | 'certificate'; decision_event_id: string }>`
      SELECT enrollment_id, kind, decision_event_id FROM issuance_decisions WHERE number = ${number}`.execute(this.db);
    return rows[0] ? { enrollmentId: rows[0].enrollment_id, kind: rows[0].kind, decisionEventId: rows[0].decision_event_id } : undefined;
  }

  private async load(enrollmentId: string): Promise<{ state: ActiveEnrollment; events: RecordedEvent[] }> {
    const events = await this.store.readStream(enrollmentStreamId(enrollmentId));
    const state = foldEnrollment(events.map((e) => fromRecorded<EnrollmentEvent>(e)));
    if (state.status === 'none') throw new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document');
    return { state, events };
  }

  /** Valid, revoked or unknown, after checking the stored files against the recorded hashes and the signature. */
  async verify(number: string): Promise<Verification> {
    const located = await this.locate(number);
    if (!located) return { number, status: 'unknown' };
    const { state, events } = await this.load(located.enrollmentId);
    const issued = state.documents[number];
    if (!issued) return { number, status: 'unknown' };
    const facts = await this.issuance.facts(located, state, events);
    const holder = await this.issuance.holder(state.candidateId);
    const revocation = issued.revokedAt ? { revocation: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } } : {};
    if (isWithheld(holder)) {
      return { number, status: issued.revokedAt ? 'revoked' : 'valid', kind: issued.kind, document: describe(facts, holder), issuedAt: issued.issuedAt, ...revocation, holderErased: true };
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
      document: describe(facts, `${holder.firstNames.join(' ')} ${holder.usageName ?? holder.birthName}`),
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
    const ids = [...new Set(failed.map((f) => f.data.job.enrollmentId))];
    const { rows } = await sql<{ enrollment_id: string }>`SELECT enrollment_id FROM candidate_paths WHERE enrollment_id = ANY(${ids}::text[]) AND organisation_id = ${actor.organisationId}`.execute(this.db);
    const own = new Set(rows.map((r) => r.enrollment_id));
    return failed.filter((f) => own.has(f.data.job.enrollmentId));
  }

  /** The documents of an enrollment the actor may see. */
  async list(enrollmentId: string, actor: AuthenticatedActor) {
    const { state } = await this.load(enrollmentId);
    assertMayAct(actor, state);
    return issuedDocuments(state);
  }

  /** The PDF as issued; a revoked document is rendered again with its revocation printed on it. */
  async pdf(enrollmentId: string, number: string, actor: AuthenticatedActor): Promise<{ bytes: Buffer; revoked: boolean }> {
    const { state, events } = await this.load(enrollmentId);
    assertMayAct(actor, state);
    const issued = state.documents[number];
    if (!issued) throw new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document');
    if (issued.revokedAt) {
      const holder = await this.issuance.holder(state.candidateId);
      if (isWithheld(holder)) throw new NotFoundError('DOCUMENT.ERASED', 'the holder’s personal data was erased, and the document with it');
      const model = { ...(await this.issuance.facts({ kind: issued.kind, enrollmentId, decisionEventId: issued.decisionEventId }, state, events)), candidate: holder };
      return { bytes: await renderPdf(model, { revoked: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } }), revoked: true };
    }
    const bytes = await this.documents.get(number, 'pdf');
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    return { bytes, revoked: false };
  }

  async credential(enrollmentId: string, number: string, actor: AuthenticatedActor): Promise<{ jwt: string; revoked: boolean }> {
    const { state } = await this.load(enrollmentId);
    assertMayAct(actor, state);
    const issued = state.documents[number];
    const bytes = issued ? await this.documents.get(number, 'credential') : undefined;
    if (!issued || !bytes) throw new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document');
    return { jwt: bytes.toString('utf8'), revoked: Boolean(issued.revokedAt) };
  }
}

function describe(model: DocumentFacts, holder: Protected<string>): NonNullable<Verification['document']> {
  return {
    certificationTitle: model.certificationTitle,
    certifier: model.certifier,
    level: model.level,
    ...(model.rncpCode ? { rncpCode: model.rncpCode } : {}),
    version: model.version,
    ...(model.bloc ? { bloc: model.bloc } : {}),
    ...(model.options && model.options.length > 0 ? { options: [...model.options] } : {}),
    holder,
    decisionDate: model.decision.date,
    ...(model.decision.place ? { decisionPlace: model.decision.place } : {}),
  };
}
