import { GoneException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { ActiveEnrollment, assertMayAccess, CertificationKind, NotFoundError } from '@jalon/domain';
import { RecordedEvent } from '@jalon/event-store';
import { decisionOfDocument, DOCUMENT_NUMBER, DocumentFacts, HolderName } from '@jalon/issuance';
import { DataKeys } from '@jalon/privacy';
import { SQL_DB, SqlDb, StreamCommandHandlers } from '@jalon/runtime';
import { enrollmentsOfOrganisation } from '@jalon/read-models';
import { AuthenticatedActor } from '../auth/auth.decorators';

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
    /** What the certification is (the référentiel's kind, certification-professionnelle when it states none). */
    certificationKind: CertificationKind;
    certificationTitle: string;
    /**
     * Each of these only where the référentiel states it, as the document prints it; the certifier
     * (its legal name) and its trade name as configured where a certifier of CERTIFIERS issues it.
     */
    certifier?: string;
    certifierTradeName?: string;
    level?: number;
    eqfLevel?: number;
    rncpCode?: string;
    rsCode?: string;
    registration?: { decisionDate?: string; endDate?: string; decisionReference?: string };
    nsfCodes?: string[];
    version: string;
    /** An attestation's bloc: its title where the référentiel gives one, else its competencies. */
    bloc?: { code: string; title?: string; competencies?: { code: string; title: string }[] };
    options?: { code: string; label: string }[];
    holder: string | null;
    holderUsageName?: string;
    decisionDate: string;
    decisionPlace?: string;
  };
  issuedAt?: string;
  /** Once reissued: the version checked (2 and on) and when it replaced the one before. */
  version?: number;
  reissuedAt?: string;
  revocation?: { date: string; reasonCategory: string };
  /** Whether the stored files match what was recorded; absent once the holder's personal data (and so the files) are erased. */
  checks?: { pdfHash: boolean; credentialHash: boolean; credentialSignature: boolean };
  /** The holder's personal data was erased (R14): the decision and the document's existence stand, its files and name are gone. */
  holderErased?: true;
  /**
   * Who issued the document: the credential's issuer (its id, the Open Badges profile at
   * `/issuers/{issuer}`, and its name) — the certifier of its référentiel where one issues as itself.
   */
  issuer?: { id: string; name?: string };
  /** What the published revocation status list says of the document (its credential's credentialStatus); absent for a document issued before status lists. */
  statusList?: { url: string; index: number; revoked: boolean };
}

/** A document whose files went with its holder's personal data (R14): it existed, and is gone for good. */
export const filesErased = () =>
  new GoneException({
    code: 'DOCUMENT.ERASED',
    message: 'the document’s files were deleted with its holder’s personal data (erasure): its verification still answers, but it can no longer be downloaded',
  });

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the documents' questions share: a document's decision, its enrollment, whether its files went with its holder's personal data. */
@Injectable()
export class DocumentReads {
  constructor(
    @Inject(SQL_DB) readonly db: SqlDb,
    private readonly handlers: StreamCommandHandlers,
    private readonly keys: DataKeys,
  ) {}

  async locate(number: string): Promise<{ enrollmentId: string; kind: 'attestation' | 'certificate'; decisionEventId: string } | undefined> {
    if (!DOCUMENT_NUMBER.test(number)) return undefined;
    return decisionOfDocument(this.db, number);
  }

  /** The enrollment as stored; missing, it is not found, as on every route that names it (a verification says the document is). */
  async load(
    enrollmentId: string,
    missing = () => new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment'),
  ): Promise<{ state: ActiveEnrollment; events: readonly RecordedEvent[] }> {
    // Documents, decisions and the candidate id are clear fields: nothing is opened.
    const { recorded, state } = await this.handlers.enrollments.load(enrollmentId);
    if (state.status === 'none') throw missing();
    return { state, events: recorded };
  }

  /** When the candidate's personal data was erased (R14), if it was: their key is gone for good. */
  async personalDataErasedAt(candidateId: string): Promise<string | undefined> {
    const key = (await this.keys.find([candidateId])).get(candidateId);
    return key?.state === 'erased' ? key.erasedAt : undefined;
  }

  /** Of these enrollments, those of the actor's organisation. */
  ownEnrollments(enrollmentIds: readonly string[], actor: AuthenticatedActor): Promise<Set<string>> {
    return enrollmentsOfOrganisation(this.db, enrollmentIds, actor.organisationId);
  }

  /**
   * A document issued on the enrollment, to download. Its files were deleted with its holder's
   * personal data (R14): then 410 DOCUMENT.ERASED, for the PDF and the credential alike — the
   * document existed and its verification still answers, but there is nothing left to deliver.
   */
  async downloadable(enrollmentId: string, number: string, actor: AuthenticatedActor) {
    const { state, events } = await this.load(enrollmentId);
    assertMayAccess(actor, state);
    const issued = state.documents[number];
    if (!issued) throw new NotFoundError('DOCUMENT.NOT_FOUND', 'no such document');
    if (await this.personalDataErasedAt(state.candidateId)) throw filesErased();
    return { state, events, issued };
  }
}

export function describe(model: DocumentFacts, holder: HolderName | null): NonNullable<Verification['document']> {
  const { kind, title, certifier, certifierTradeName, level, eqfLevel, rncpCode, rsCode, registration, nsfCodes } = model.certification;
  const bloc = model.bloc;
  return {
    certificationKind: kind,
    certificationTitle: title,
    ...(certifier ? { certifier } : {}),
    ...(certifier && certifierTradeName ? { certifierTradeName } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(eqfLevel !== undefined ? { eqfLevel } : {}),
    ...(rncpCode ? { rncpCode } : {}),
    ...(rsCode ? { rsCode } : {}),
    ...(registration ? { registration: { ...registration } } : {}),
    ...(nsfCodes?.length ? { nsfCodes: [...nsfCodes] } : {}),
    version: model.version,
    ...(bloc
      ? {
          bloc: {
            code: bloc.code,
            ...(bloc.title ? { title: bloc.title } : {}),
            ...(bloc.competencies?.length ? { competencies: bloc.competencies.map((c) => ({ code: c.code, title: c.title })) } : {}),
          },
        }
      : {}),
    ...(model.options && model.options.length > 0 ? { options: [...model.options] } : {}),
    holder: holder?.name ?? null,
    ...(holder?.usageName ? { holderUsageName: holder.usageName } : {}),
    decisionDate: model.decision.date,
    ...(model.decision.place ? { decisionPlace: model.decision.place } : {}),
  };
}
