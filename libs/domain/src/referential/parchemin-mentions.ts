import { Certification, certificationKindOf, Referential } from './referential.model';

/**
 * The mentions France Compétences requires on a parchemin (R15) that a référentiel must state for
 * its documents to be issued without inventing anything: the registration (code, decision
 * reference and date), the certifier's legal name, the national and European levels, the NSF
 * codes. The holder, the date and place of delivery come from the decision; the signatory from
 * the certifier's profile, not from the référentiel.
 */
export type ParcheminMention =
  'registration-code' | 'registration-decision-reference' | 'registration-decision-date' | 'certifier' | 'national-level' | 'eqf-level' | 'nsf-codes';

export interface MissingParcheminMention {
  readonly mention: ParcheminMention;
  /** Where the référentiel would state it. */
  readonly path: string;
  readonly message: string;
}

/** Whether documents of the référentiel can carry every mention it must state, and which are missing. */
export interface DocumentIssuability {
  readonly issuable: boolean;
  readonly missingMentions: readonly MissingParcheminMention[];
}

export function documentIssuability(referential: Pick<Referential, 'certification'>): DocumentIssuability {
  const missingMentions = missingParcheminMentions(referential);
  return { issuable: missingMentions.length === 0, missingMentions };
}

export function missingParcheminMentions(referential: Pick<Referential, 'certification'>): MissingParcheminMention[] {
  const certification: Certification = referential.certification;
  const stated = (text: string | undefined) => (text?.trim() ?? '') !== '';
  // A certification of the Répertoire spécifique has no level: its parchemin names its RS registration.
  const inRs = certificationKindOf(referential) === 'certification-rs';
  const missing: MissingParcheminMention[] = [];
  const need = (ok: boolean, mention: ParcheminMention, path: string, message: string) => {
    if (!ok) missing.push({ mention, path, message });
  };
  need(
    inRs ? stated(certification.rsCode) : stated(certification.rncpCode),
    'registration-code',
    inRs ? 'certification.rsCode' : 'certification.rncpCode',
    inRs ? 'the code of its registration in the Répertoire spécifique (RS…)' : 'the code of its registration in the RNCP (RNCP…)',
  );
  need(
    stated(certification.registration?.decisionReference),
    'registration-decision-reference',
    'certification.registration.decisionReference',
    'the reference of France Compétences’ registration decision',
  );
  need(stated(certification.registration?.decisionDate), 'registration-decision-date', 'certification.registration.decisionDate', 'the date of that decision');
  need(stated(certification.certifier), 'certifier', 'certification.certifier', 'the certifier’s legal name');
  if (!inRs) {
    need(certification.level !== undefined, 'national-level', 'certification.level', 'its level in the national framework');
    need(certification.eqfLevel !== undefined, 'eqf-level', 'certification.eqfLevel', 'its European (EQF/CEC) level');
    need((certification.nsfCodes ?? []).some(stated), 'nsf-codes', 'certification.nsfCodes', 'its NSF speciality code(s)');
  }
  return missing;
}
