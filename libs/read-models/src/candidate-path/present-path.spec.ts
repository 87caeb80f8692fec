import { loadCatalogue } from '@jalon/catalogue';
import { ActiveEnrollment, foldEnrollment, indexReferential } from '@jalon/domain';
import { generatePath, prng } from '../testing/generate-paths';
import { pathDocuments, presentPath } from './present-path';

/** A path with what the documents part reads: its blocs, its award and its documents. */
function path({ awardedAt, ...parts }: Pick<ActiveEnrollment, 'blocs' | 'documents'> & { awardedAt?: string }): ActiveEnrollment {
  return {
    ...(awardedAt ? { status: 'certified' as const, awardedAt } : { status: 'open' as const }),
    enrollmentId: 'enr-1',
    candidateId: 'cand-1',
    organisationId: 'org-1',
    referentialId: 'ref',
    version: '1',
    cohort: '2026-A',
    accessRoute: 'vae',
    optionBlocs: [],
    juryDisclosureConsent: false,
    accommodations: {},
    sittings: {},
    assessments: {},
    acquiredCompetencies: {},
    extraRequirements: {},
    ...parts,
  };
}

const attestation = (number: string, blocCode: string, issuedAt: string, revokedAt?: string) => ({
  kind: 'attestation' as const,
  number,
  decisionEventId: `decision-${number}`,
  blocCode,
  pdfSha256: 'p',
  credentialSha256: 'c',
  issuedAt,
  ...(revokedAt ? { revokedAt, revocationReason: 'bloc-annulled' } : {}),
});

describe('pathDocuments: what a path says of its documents', () => {
  const erased = { personalDataErasedAt: '2026-07-01T10:00:00.000Z' };

  it('lists the documents issued, oldest first, with their status', () => {
    const state = path({
      blocs: {
        BC01: { status: 'validated', validatedAt: '2026-06-01T10:00:00Z', decidedBy: 'jury' },
        BC02: { status: 'validated', validatedAt: '2026-06-02T10:00:00Z', decidedBy: 'jury' },
      },
      documents: {
        'JAL-A-2': attestation('JAL-A-2', 'BC02', '2026-06-02T10:01:00Z', '2026-06-03T10:00:00Z'),
        'JAL-A-1': attestation('JAL-A-1', 'BC01', '2026-06-01T10:01:00Z'),
      },
    });
    expect(pathDocuments(state)).toEqual([
      { number: 'JAL-A-1', kind: 'attestation', blocCode: 'BC01', issuedAt: '2026-06-01T10:01:00Z', status: 'valid' },
      {
        number: 'JAL-A-2',
        kind: 'attestation',
        blocCode: 'BC02',
        issuedAt: '2026-06-02T10:01:00Z',
        status: 'revoked',
        revokedAt: '2026-06-03T10:00:00Z',
        revocationReason: 'bloc-annulled',
      },
    ]);
  });

  it('while the holder is not erased, a decision without its document yet says nothing: its job is on its way', () => {
    const state = path({ blocs: { BC01: { status: 'validated', validatedAt: '2026-06-01T10:00:00Z', decidedBy: 'jury' } }, documents: {} });
    expect(pathDocuments(state)).toEqual([]);
  });

  it('a document issued for the standing decision and revoked since (its bloc annulled where it was carried) was issued: it is not owed again', () => {
    const state = path({
      blocs: { BC01: { status: 'validated', validatedAt: '2026-06-01T10:00:00Z', decidedBy: 'jury' } },
      documents: { 'JAL-A-1': attestation('JAL-A-1', 'BC01', '2026-06-01T10:01:00.000Z', '2026-06-20T10:00:00Z') },
    });
    expect(pathDocuments(state, erased).map((d) => d.status)).toEqual(['revoked']);
  });

  it('once the holder is erased, each decision without its document is listed as not issued, and why', () => {
    const state = path({
      blocs: {
        BC01: { status: 'validated', validatedAt: '2026-06-01T10:00:00Z', decidedBy: 'jury' },
        BC03: { status: 'validated', validatedAt: '2026-07-02T10:00:00Z', decidedBy: 'automatic-rule' },
        BC02: { status: 'validated', validatedAt: '2026-07-03T10:00:00Z', decidedBy: 'jury' },
      },
      documents: { 'JAL-A-1': attestation('JAL-A-1', 'BC01', '2026-06-01T10:01:00Z') },
      awardedAt: '2026-07-04T10:00:00Z',
    });
    expect(pathDocuments(state, erased)).toEqual([
      { number: 'JAL-A-1', kind: 'attestation', blocCode: 'BC01', issuedAt: '2026-06-01T10:01:00Z', status: 'valid' },
      { kind: 'attestation', blocCode: 'BC03', decidedAt: '2026-07-02T10:00:00Z', status: 'not-issued', reason: 'holder-erased' },
      { kind: 'attestation', blocCode: 'BC02', decidedAt: '2026-07-03T10:00:00Z', status: 'not-issued', reason: 'holder-erased' },
      { kind: 'certificate', decidedAt: '2026-07-04T10:00:00Z', status: 'not-issued', reason: 'holder-erased' },
    ]);
  });

  it('a bloc validated again after an annulment is owed a new attestation: the revoked one proves the annulled decision', () => {
    const state = path({
      blocs: { BC01: { status: 'validated', validatedAt: '2026-07-02T10:00:00Z', decidedBy: 'jury' } },
      documents: { 'JAL-A-1': attestation('JAL-A-1', 'BC01', '2026-06-01T10:01:00Z', '2026-06-15T10:00:00Z') },
    });
    expect(pathDocuments(state, erased).map((d) => d.status)).toEqual(['revoked', 'not-issued']);
  });

  it('an annulled bloc, a carried bloc (its attestation is its source’s) and a certification not awarded, or revoked, are owed nothing', () => {
    const state = path({
      blocs: {
        BC01: { status: 'annulled', annulledAt: '2026-06-15T10:00:00Z' },
        BC02: { status: 'validated', validatedAt: '2026-05-01T10:00:00Z', decidedBy: 'transfer' },
        BC03: { status: 'validatable' },
      },
      documents: {},
    });
    expect(pathDocuments(state, erased)).toEqual([]);
  });
});

describe('presentPath: the certification as its référentiel states it', () => {
  const shipped = (id: string) => loadCatalogue().entries.find((e) => e.referential.referential === id)!.referential;
  const on = (referentialId: string) => ({ ...path({ blocs: {}, documents: {} }), referentialId });

  it('leaves out a level the errata of the catalogue mark as assumed (seed 003 gives none)', () => {
    const referential = shipped('data-ia-quatre-blocs');
    expect(referential.certification.level).toBe(6);
    expect(presentPath(on(referential.referential), referential).certification).not.toHaveProperty('level');
  });

  it('shows a level the référentiel states (seed 000: niveau 7)', () => {
    const referential = shipped('expert-ingenierie-science-donnees');
    expect(presentPath(on(referential.referential), referential).certification.level).toBe(7);
  });
});

describe('presentPath: each competency with the assessments that rated its criteria', () => {
  it('lists under a competency every assessment rating a criterion that bears on it, with how many of those criteria it rated and met', () => {
    const random = prng(11);
    let shown = 0;
    for (const { referential } of loadCatalogue().entries) {
      const index = indexReferential(referential);
      for (let i = 0; i < 20; i++) {
        const state = foldEnrollment(generatePath(referential, random).events) as ActiveEnrollment;
        const view = presentPath(state, referential);
        const listed = view.blocs.flatMap((b) => b.competencies.map((c) => ({ competency: c.code, assessments: c.assessments })));
        const expected = referential.blocs.flatMap((b) =>
          b.competencies.map((c) => {
            const bearing = index.criteriaBearingOn.get(c.code) ?? [];
            const rated = (results: Record<string, boolean>) => Object.entries(results).filter(([criterion]) => bearing.includes(criterion));
            return {
              competency: c.code,
              assessments: Object.values(state.assessments)
                .filter((a) => rated(a.results).length > 0)
                .map((a) => ({ assessmentId: a.id, criteria: rated(a.results).length, criteriaMet: rated(a.results).filter(([, met]) => met).length }))
                .sort((x, y) => x.assessmentId.localeCompare(y.assessmentId)),
            };
          }),
        );
        const counted = listed.map(({ competency, assessments }) => ({
          competency,
          assessments: assessments
            .map(({ assessmentId, criteria, criteriaMet }) => ({ assessmentId, criteria, criteriaMet }))
            .sort((x, y) => x.assessmentId.localeCompare(y.assessmentId)),
        }));
        expect(counted).toEqual(expected);
        shown += listed.reduce((n, { assessments }) => n + assessments.length, 0);
      }
    }
    expect(shown).toBeGreaterThan(100);
  });
});
