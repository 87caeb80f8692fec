import { automaticFixtureReferential, fixtureReferential } from '../testing/fixture-referential';
import {
  admin,
  assessor,
  at,
  candidate,
  cmd,
  fixtureTimedParts,
  history,
  jury,
  otherAssessor,
  passBloc,
  referent,
  results,
  sit,
  specFor,
  T0,
  tiersTemps,
} from '../testing/enrollment-fixtures';
import { ForbiddenError, ValidationError } from '../shared/errors';
import { dayInFrance, effectiveDurationMinutes } from './accommodation';
import { transferInCommand } from './enrollment.decider';
import { EnrollmentEvent } from './enrollment.events';
import { pathProgress } from './enrollment.progress';
import { ActiveEnrollment, foldEnrollment } from './enrollment.state';

const spec = specFor();
const enrolled = [cmd.enroll()];
const typesOf = (events: readonly EnrollmentEvent[]) => events.map((e) => e.type);
const stateOf = (events: readonly EnrollmentEvent[]) => foldEnrollment(events) as ActiveEnrollment;

describe('R1 versioned référentiels: an enrollment is pinned to its version', () => {
  it('enrolling records the pinned version, cohort, access route and option', () => {
    spec
      .given([])
      .when(cmd.enroll())
      .then([
        {
          type: 'CandidateEnrolled',
          data: {
            enrollmentId: 'enr-1',
            candidateId: 'cand-1',
            organisationId: 'org-1',
            referentialId: 'fixture-cert',
            version: '1',
            cohort: '2026-A',
            accessRoute: 'formation-continue',
            optionBlocs: ['BC04'],
            by: admin,
            at: T0,
          },
        },
      ]);
  });

  it('a transfer is an explicit act that says which acquired blocs carry over, and the new enrollment starts with them validated', () => {
    const source = history([...enrolled, ...passBloc('BC01')]);
    const [out] = spec
      .given(source)
      .when({
        type: 'TransferOut',
        data: {
          toEnrollmentId: 'enr-2',
          toReferentialId: 'fixture-cert',
          toVersion: '1-auto',
          carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01' }],
          optionBlocs: ['BC04'],
          by: admin,
          now: at(30),
        },
      })
      .events();
    expect(out).toEqual({
      type: 'EnrollmentTransferredOut',
      data: {
        toEnrollmentId: 'enr-2',
        toReferentialId: 'fixture-cert',
        toVersion: '1-auto',
        carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01', validatedAt: at(20) }],
        optionBlocs: ['BC04'],
        by: admin,
        at: at(30),
      },
    });
    const transferred = stateOf([...source, out]);
    expect(transferred.status).toBe('transferred');
    // The new enrollment, as whoever writes it (the request, its retry, the worker) builds it from the source alone.
    expect(transferInCommand('enr-1', transferred)).toEqual({
      type: 'EnrollByTransfer',
      data: {
        enrollmentId: 'enr-2',
        fromEnrollmentId: 'enr-1',
        fromVersion: '1',
        candidateId: transferred.candidateId,
        organisationId: transferred.organisationId,
        referentialId: 'fixture-cert',
        version: '1-auto',
        cohort: '2026-A',
        accessRoute: 'formation-continue',
        optionBlocs: ['BC04'],
        carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01', validatedAt: at(20) }],
        by: admin,
        now: at(30),
      },
    });
    expect(() => transferInCommand('enr-1', stateOf(source))).toThrow('has not been transferred');

    const target = specFor(automaticFixtureReferential)
      .given([])
      .when({
        type: 'EnrollByTransfer',
        data: {
          enrollmentId: 'enr-2',
          fromEnrollmentId: 'enr-1',
          fromVersion: '1',
          candidateId: 'cand-1',
          organisationId: 'org-1',
          referentialId: 'fixture-cert',
          version: '1-auto',
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: ['BC04'],
          carriedBlocs: [{ fromBloc: 'BC01', toBloc: 'BC01', validatedAt: at(20) }],
          by: admin,
          now: at(30),
        },
      })
      .events();
    const newPath = stateOf(target);
    expect(newPath.version).toBe('1-auto');
    expect(newPath.blocs.BC01).toEqual({ status: 'validated', validatedAt: at(20), decidedBy: 'transfer' });
    expect(pathProgress(newPath, automaticFixtureReferential).missingBlocs).toEqual(['BC02', 'BC04']);
  });
});

describe('R2 structure: mandatory blocs and a one-of option group', () => {
  it('the option can change while nothing of it is validated', () => {
    spec
      .given(history(enrolled))
      .when(cmd.chooseOption(['BC03']))
      .then([{ type: 'OptionChosen', data: { optionBlocs: ['BC03'], previousOptionBlocs: ['BC04'], by: admin, at: at(1) } }]);
  });

  it('choosing the same option again changes nothing', () => {
    spec
      .given(history(enrolled))
      .when(cmd.chooseOption(['BC04']))
      .then([]);
  });

  it('the path is complete only with the mandatory blocs, one option bloc and the extra requirement', () => {
    const events = history([cmd.enroll({ optionBlocs: [] }), ...passBloc('BC01'), ...passBloc('BC02'), cmd.validateRequirement()]);
    expect(pathProgress(stateOf(events), fixtureReferential)).toEqual({
      status: 'in-progress',
      missingBlocs: [],
      optionGroupsToChoose: [{ group: 'OPT', missing: 1 }],
      missingExtraRequirements: [],
    });
  });
});

describe('R3/R5 competencies, criteria and assessments', () => {
  it('an assessment records each criterion by an assigned assessor, and the competencies it completes become acquired', () => {
    const given = history([...enrolled, cmd.schedule('s1', 'E1'), cmd.hold('s1', fixtureTimedParts('E1'))]);
    const events = spec
      .given(given)
      .when(
        cmd.assess(
          'a1',
          's1',
          results('E1', (c) => c !== 'C1/CE2'),
        ),
      )
      .events();
    expect(typesOf(events)).toEqual(['AssessmentRecorded', 'CompetencyAcquired']);
    expect(events[0]).toEqual({
      type: 'AssessmentRecorded',
      data: {
        assessmentId: 'a1',
        sittingId: 's1',
        epreuveCode: 'E1',
        blocCode: 'BC01',
        attempt: 1,
        passed: false,
        capacity: 'expert-technique',
        results: results('E1', (c) => c !== 'C1/CE2'),
        by: assessor,
        at: at(11),
      },
    });
    expect(events[1]).toEqual({
      type: 'CompetencyAcquired',
      data: {
        competencyCode: 'C2',
        blocCode: 'BC01',
        rule: 'all-criteria-met',
        evidence: [{ criterion: 'C2/CE1', assessmentId: 'a1' }],
        by: assessor,
        at: at(11),
      },
    });
  });

  it('criteria attached to an épreuve bear on the competencies they name, or on all it covers', () => {
    const given = history([...enrolled, cmd.schedule('s1', 'E2'), cmd.hold('s1')]);
    const events = spec
      .given(given)
      .when(
        cmd.assess(
          'a1',
          's1',
          results('E2', (c) => c === 'E2/CR1'),
        ),
      )
      .events();
    // CR1 bears on C3 only, CR2 on both: with CR2 not met, neither competency is acquired.
    expect(typesOf(events)).toEqual(['AssessmentRecorded']);
    const all = spec
      .given(given)
      .when(cmd.assess('a1', 's1', results('E2')))
      .events();
    expect(typesOf(all)).toEqual(['AssessmentRecorded', 'CompetencyAcquired', 'CompetencyAcquired', 'BlocBecameValidatable']);
  });

  it('a correction never overwrites: it points at the assessment, says why, and its consequences follow', () => {
    const given = history([...enrolled, ...sit('s1', 'E1', true, fixtureTimedParts('E1'))]);
    const events = spec
      .given(given)
      .when(
        cmd.correct(
          'c1',
          'assess-s1',
          results('E1', (c) => c !== 'C2/CE1'),
        ),
      )
      .events();
    expect(events).toEqual([
      {
        type: 'AssessmentCorrected',
        data: {
          correctionId: 'c1',
          assessmentId: 'assess-s1',
          results: results('E1', (c) => c !== 'C2/CE1'),
          reason: 'erreur de saisie',
          passed: false,
          capacity: 'expert-technique',
          by: assessor,
          at: at(12),
        },
      },
      { type: 'CompetencyAcquisitionRevoked', data: { competencyCode: 'C2', blocCode: 'BC01', cause: 'assessment-corrected', by: assessor, at: at(12) } },
      { type: 'BlocNoLongerValidatable', data: { blocCode: 'BC01', missingCompetencies: ['C2'], by: assessor, at: at(12) } },
    ]);
    // The original assessment stays in the history.
    expect(given.some((e) => e.type === 'AssessmentRecorded' && e.data.assessmentId === 'assess-s1')).toBe(true);
  });

  it('the jury may also correct an assessment', () => {
    const given = history([...enrolled, ...sit('s1', 'E1', false, fixtureTimedParts('E1'))]);
    expect(
      typesOf(
        spec
          .given(given)
          .when(cmd.correct('c1', 'assess-s1', results('E1'), jury))
          .events(),
      )[0],
    ).toBe('AssessmentCorrected');
  });
});

describe('R4/R11 épreuves, accommodations applied, not only granted', () => {
  it('a tiers-temps turns a 30-minute soutenance into 40 minutes when the sitting is scheduled', () => {
    const [scheduled] = spec
      .given(history([...enrolled, cmd.grant()]))
      .when(cmd.schedule('s1', 'E1'))
      .events();
    expect(scheduled).toEqual({
      type: 'SittingScheduled',
      data: {
        sittingId: 's1',
        epreuveCode: 'E1',
        blocCode: 'BC01',
        attempt: 1,
        scheduledAt: at(10),
        assessorIds: [assessor.id],
        assessorKind: 'expert-technique',
        timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }],
        applicableAccommodations: [{ accommodationId: 'acc-1', kind: 'tiers-temps' }],
        by: admin,
        at: at(5),
      },
    });
  });

  it('an accommodation applies only within its scope and validity period, and not once ended', () => {
    const scoped = { ...tiersTemps, scope: { all: false as const, epreuves: ['E4'] } };
    const durations = (commands: Parameters<typeof history>[0], epreuve: string, when = at(10)) => {
      const [e] = spec
        .given(history(commands))
        .when(cmd.schedule('s1', epreuve, when))
        .events();
      return e.type === 'SittingScheduled' ? e.data.timedParts.map((p) => p.effectiveDurationMinutes) : [];
    };
    expect(durations([...enrolled, cmd.grant('acc-1', scoped)], 'E1')).toEqual([30]);
    expect(durations([...enrolled, cmd.grant('acc-1', scoped)], 'E4')).toEqual([60]);
    expect(durations([...enrolled, cmd.grant('acc-1', { ...tiersTemps, validUntil: at(8) })], 'E1')).toEqual([30]);
    expect(durations([...enrolled, cmd.grant(), cmd.end('acc-1', at(3))], 'E1')).toEqual([30]);
    expect(durations([...enrolled, cmd.grant('acc-1', { ...tiersTemps, validFrom: at(12) })], 'E1')).toEqual([30]);
  });

  it('extra times do not add up: the most generous one applies, rounded up to the minute', () => {
    expect(
      effectiveDurationMinutes(30, [
        { numerator: 1, denominator: 3 },
        { numerator: 1, denominator: 2 },
      ]),
    ).toBe(45);
    expect(effectiveDurationMinutes(25, [{ numerator: 1, denominator: 3 }])).toBe(34);
    expect(effectiveDurationMinutes(30, [])).toBe(30);
  });

  it('holding a sitting records the conditions given, and names each granted measure not applied (a finding)', () => {
    const given = history([
      ...enrolled,
      cmd.grant(),
      cmd.grant('acc-2', { kind: 'third-party-assistance', scope: { all: true }, validFrom: T0 }),
      cmd.schedule('s1', 'E1'),
    ]);
    spec
      .given(given)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']))
      .then([
        {
          type: 'SittingHeld',
          data: {
            sittingId: 's1',
            heldAt: at(10),
            timedParts: [{ code: 'soutenance', scheduledMinutes: 40, actualDurationMinutes: 40 }],
            accommodationsApplied: ['acc-1'],
            accommodationsNotApplied: [{ accommodationId: 'acc-2', kind: 'third-party-assistance' }],
            by: admin,
            at: at(10),
          },
        },
      ]);
  });
});

describe('R11 an extra time is given only if the sitting lasted that long', () => {
  const given = history([...enrolled, cmd.grant(), cmd.schedule('s1', 'E1')]);
  const notApplied = (actualDurationMinutes: number, applied = ['acc-1']) => {
    const [held] = spec
      .given(given)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes }], applied))
      .events();
    return held.type === 'SittingHeld' ? held.data.accommodationsNotApplied.map((a) => a.accommodationId) : undefined;
  };

  it('a tiers-temps said applied to a 40-minute soutenance that lasted 30 minutes is refused, naming the contradiction', () => {
    for (const lasted of [30, 39]) {
      spec
        .given(given)
        .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: lasted }], ['acc-1']))
        .thenThrows(ValidationError, 'SITTING.EXTRA_TIME_NOT_GIVEN');
    }
    // Recorded as it was, not applied, it is a finding.
    expect(notApplied(30, [])).toEqual(['acc-1']);
  });

  it('it is applied when the soutenance lasted the 40 minutes, or longer', () => {
    expect(notApplied(40)).toEqual([]);
    expect(notApplied(45)).toEqual([]);
  });

  it('a measure without extra time is judged on what was said applied alone', () => {
    const assisted = history([
      ...enrolled,
      cmd.grant('acc-2', { kind: 'third-party-assistance', scope: { all: true }, validFrom: T0 }),
      cmd.schedule('s1', 'E1'),
    ]);
    const [held] = spec
      .given(assisted)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 30 }], ['acc-2']))
      .events();
    expect(held.type === 'SittingHeld' && held.data.accommodationsNotApplied).toEqual([]);
  });
});

describe('R6 bloc validation', () => {
  it('once all its competencies are acquired the bloc is validatable, and the jury validates it naming the rule and the assessments', () => {
    const given = history([...enrolled, ...sit('s1', 'E1', true, fixtureTimedParts('E1'))]);
    expect(given.at(-1)).toEqual({
      type: 'BlocBecameValidatable',
      data: { blocCode: 'BC01', rule: 'all-competencies-acquired', competencies: ['C1', 'C2'], by: assessor, at: at(11) },
    });
    spec
      .given(given)
      .when(cmd.validateBloc('BC01'))
      .then([
        {
          type: 'BlocValidated',
          data: {
            blocCode: 'BC01',
            decidedBy: 'jury',
            rule: 'all-competencies-acquired',
            competencies: ['C1', 'C2'],
            assessments: ['assess-s1'],
            by: jury,
            at: at(20),
          },
        },
      ]);
  });

  it('where the référentiel allows it, a rule validates the bloc without the jury', () => {
    const given = history([cmd.enroll({}, automaticFixtureReferential), cmd.schedule('s1', 'E2'), cmd.hold('s1')], automaticFixtureReferential);
    const events = specFor(automaticFixtureReferential)
      .given(given)
      .when(cmd.assess('a1', 's1', results('E2')))
      .events();
    expect(events.at(-1)).toEqual({
      type: 'BlocValidated',
      data: {
        blocCode: 'BC02',
        decidedBy: 'automatic-rule',
        rule: 'all-competencies-acquired',
        competencies: ['C3', 'C4'],
        assessments: ['a1'],
        by: assessor,
        at: at(11),
      },
    });
  });
});

describe('automatic validation of an option bloc that joins the path late', () => {
  it('a validatable option bloc is validated by the rule when the candidate chooses it', () => {
    const auto = specFor(automaticFixtureReferential);
    const given = history(
      [
        cmd.enroll({ optionBlocs: ['BC04'] }, automaticFixtureReferential),
        cmd.chooseOption(['BC03']),
        cmd.schedule('s1', 'E3'),
        cmd.hold('s1'),
        cmd.chooseOption(['BC04']),
        cmd.assess('a1', 's1', results('E3')),
      ],
      automaticFixtureReferential,
    );
    expect(stateOf(given).blocs.BC03.status).toBe('validatable');
    expect(
      typesOf(
        auto
          .given(given)
          .when(cmd.chooseOption(['BC03']))
          .events(),
      ),
    ).toEqual(['OptionChosen', 'BlocValidated']);
  });
});

describe('R7 acquired for good', () => {
  it('a later correction does not un-validate a validated bloc', () => {
    const given = history([...enrolled, ...passBloc('BC01')]);
    const events = spec
      .given(given)
      .when(cmd.correct('c1', 'assess-s-E1', results('E1', false)))
      .events();
    expect(typesOf(events)).toEqual(['AssessmentCorrected', 'CompetencyAcquisitionRevoked', 'CompetencyAcquisitionRevoked']);
    expect(stateOf([...given, ...events]).blocs.BC01.status).toBe('validated');
  });

  it('only an annulment by the jury, with a reason, withdraws it; it voids its assessments and stays in the history', () => {
    const given = history([...enrolled, ...passBloc('BC01')]);
    const events = spec.given(given).when(cmd.annulBloc('BC01')).events();
    expect(events[0]).toEqual({
      type: 'BlocAnnulled',
      data: { blocCode: 'BC01', reason: 'plagiarism', details: 'rapport plagié', voidedAssessments: ['assess-s-E1'], by: jury, at: at(40) },
    });
    expect(typesOf(events.slice(1))).toEqual(['CompetencyAcquisitionRevoked', 'CompetencyAcquisitionRevoked']);
    const after = stateOf([...given, ...events]);
    expect(after.blocs.BC01.status).toBe('annulled');
    // The bloc can be taken again after the annulment.
    expect(
      typesOf(
        spec
          .given([...given, ...events])
          .when(cmd.schedule('s2', 'E1'))
          .events(),
      ),
    ).toEqual(['SittingScheduled']);
  });

  it('annulling a bloc of a certified path revokes the certification', () => {
    const given = history([...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement(), cmd.award()]);
    const events = spec.given(given).when(cmd.annulBloc('BC02')).events();
    expect(events[0]).toEqual({ type: 'CertificationRevoked', data: { cause: 'bloc-annulled', blocCode: 'BC02', by: jury, at: at(40) } });
    const after = stateOf([...given, ...events]);
    expect(pathProgress(after, fixtureReferential).status).toBe('in-progress');
  });
});

describe('R8 full certification', () => {
  const complete = [...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement()];

  it('the path is eligible once every required bloc and requirement is validated, and the jury awards it', () => {
    const given = history(complete);
    expect(pathProgress(stateOf(given), fixtureReferential).status).toBe('eligible');
    spec
      .given(given)
      .when(cmd.award())
      .then([
        { type: 'FinalJuryDecisionRecorded', data: { decision: 'awarded', place: 'Paris', reason: undefined, by: jury, at: at(30) } },
        {
          type: 'CertificationAwarded',
          data: {
            referentialId: 'fixture-cert',
            version: '1',
            optionBlocs: ['BC04'],
            blocs: ['BC01', 'BC02', 'BC04'],
            extraRequirements: ['FIL-ROUGE'],
            place: 'Paris',
            by: jury,
            at: at(30),
          },
        },
      ]);
  });

  it('the jury may refuse or defer with a reason', () => {
    spec
      .given(history(complete))
      .when({ type: 'RecordFinalJuryDecision', data: { decision: 'deferred', place: 'Paris', reason: 'dossier incomplet', by: jury, now: at(30) } })
      .then([{ type: 'FinalJuryDecisionRecorded', data: { decision: 'deferred', place: 'Paris', reason: 'dossier incomplet', by: jury, at: at(30) } }]);
  });

  it('awarding with a bloc missing is refused, listing what is missing', () => {
    const error = spec
      .given(history([...enrolled, ...passBloc('BC01'), cmd.validateRequirement()]))
      .when(cmd.award())
      .thenThrows(Error as never, 'CERTIFICATION.REQUIREMENTS_NOT_MET');
    expect(error.details).toEqual({ missingBlocs: ['BC02', 'BC04'], optionGroupsToChoose: [], missingExtraRequirements: [] });
  });
});

describe('R9/R10 accommodations and consent', () => {
  it('the referent grants, amends and ends a measure with a scope and a validity period', () => {
    const amended = { ...tiersTemps, validUntil: at(100) };
    const events = history([...enrolled, cmd.grant(), cmd.amend('acc-1', amended), cmd.end('acc-1', at(3))]);
    expect(typesOf(events)).toEqual(['CandidateEnrolled', 'AccommodationGranted', 'AccommodationAmended', 'AccommodationEnded']);
    expect(stateOf(events).accommodations['acc-1']).toEqual({ id: 'acc-1', terms: amended, grantedAt: at(1), endedAt: at(3) });
  });

  it('the candidate records and withdraws consent to disclose to the jury', () => {
    spec
      .given(history(enrolled))
      .when(cmd.consent())
      .then([{ type: 'JuryDisclosureConsentRecorded', data: { by: candidate, at: at(1) } }]);
    const events = history([...enrolled, cmd.consent(referent), cmd.withdrawConsent()]);
    expect(stateOf(events).juryDisclosureConsent).toBe(false);
  });
});

describe('R12 attempts', () => {
  it('a failed épreuve can be taken again; every attempt stays in the history with its number', () => {
    const given = history([...enrolled, ...sit('s1', 'E1', false, fixtureTimedParts('E1'))]);
    const [second] = spec.given(given).when(cmd.schedule('s2', 'E1')).events();
    expect(second.type === 'SittingScheduled' && second.data.attempt).toBe(2);
    const passed = history([...enrolled, ...sit('s1', 'E1', false, fixtureTimedParts('E1')), ...sit('s2', 'E1', true, fixtureTimedParts('E1'))]);
    const state = stateOf(passed);
    expect(Object.values(state.sittings).map((s) => [s.id, s.attempt, s.status])).toEqual([
      ['s1', 1, 'assessed'],
      ['s2', 2, 'assessed'],
    ]);
    expect(state.blocs.BC01.status).toBe('validatable');
  });
});

describe('R13 withdrawal', () => {
  it('a certified path cannot be withdrawn from', () => {
    const given = history([...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement(), cmd.award()]);
    spec
      .given(given)
      .when(cmd.withdraw())
      .thenThrows(Error as never, 'ENROLLMENT.CERTIFIED');
  });

  it('the jury can still annul a bloc after a withdrawal (fraud found later), and nothing else is decided', () => {
    const given = history([...enrolled, ...passBloc('BC01'), cmd.withdraw()]);
    expect(typesOf(spec.given(given).when(cmd.annulBloc('BC01')).events())[0]).toBe('BlocAnnulled');
    spec
      .given(given)
      .when(cmd.validateRequirement())
      .thenThrows(Error as never, 'ENROLLMENT.WITHDRAWN');
  });

  it('a candidate can withdraw; acquired blocs remain acquired and no decision follows', () => {
    const given = history([...enrolled, ...passBloc('BC01')]);
    const events = spec.given(given).when(cmd.withdraw()).events();
    expect(events).toEqual([{ type: 'CandidateWithdrew', data: { reason: 'réorientation', by: admin, at: at(15) } }]);
    const after = stateOf([...given, ...events]);
    expect(after.blocs.BC01.status).toBe('validated');
    expect(pathProgress(after, fixtureReferential).status).toBe('withdrawn');
  });
});

describe('issuance: each decision gets its document once, revoked once', () => {
  const validated = [...enrolled, ...passBloc('BC01')];

  it('records the issued attestation with its hashes; the same decision again issues nothing', () => {
    const events = spec.given(history(validated)).when(cmd.issue()).events();
    expect(events).toEqual([
      {
        type: 'DocumentIssued',
        data: {
          document: {
            kind: 'attestation',
            number: 'JAL-A-1',
            decisionEventId: 'evt-1',
            blocCode: 'BC01',
            pdfSha256: 'p'.repeat(64),
            credentialSha256: 'c'.repeat(64),
          },
          by: { id: 'jalon', role: 'system' },
          at: at(21),
        },
      },
    ]);
    spec
      .given(history([...validated, cmd.issue()]))
      .when(cmd.issue({ number: 'JAL-A-2' }))
      .then([]);
  });

  it('a certificate is issued only while the certification stands, even after a withdrawal an attestation is', () => {
    const complete = [...enrolled, ...passBloc('BC01'), ...passBloc('BC02'), ...passBloc('BC04'), cmd.validateRequirement()];
    spec
      .given(history(complete))
      .when(cmd.issue({ kind: 'certificate', number: 'JAL-C-1', blocCode: undefined }))
      .thenThrows(Error as never, 'ISSUANCE.DECISION_WITHDRAWN');
    expect(
      typesOf(
        spec
          .given(history([...complete, cmd.award()]))
          .when(cmd.issue({ kind: 'certificate', number: 'JAL-C-1', blocCode: undefined }))
          .events(),
      ),
    ).toEqual(['DocumentIssued']);
    expect(
      typesOf(
        spec
          .given(history([...validated, cmd.withdraw()]))
          .when(cmd.issue())
          .events(),
      ),
    ).toEqual(['DocumentIssued']);
  });

  it('a revocation is recorded once, with its reason category, and the document stays in the history', () => {
    const issued = history([...validated, cmd.issue(), cmd.annulBloc('BC01')]);
    const [revoked] = spec.given(issued).when(cmd.revoke()).events();
    expect(revoked).toEqual({
      type: 'DocumentRevoked',
      data: { number: 'JAL-A-1', kind: 'attestation', reasonCategory: 'bloc-annulled', by: { id: 'jalon', role: 'system' }, at: at(41) },
    });
    spec
      .given([...issued, revoked])
      .when(cmd.revoke())
      .then([]);
    expect(stateOf([...issued, revoked]).documents['JAL-A-1']).toMatchObject({ revokedAt: at(41), revocationReason: 'bloc-annulled', issuedAt: at(21) });
  });

  it('a reissue records the next version under the same number, once; its hashes are the ones checked from then on', () => {
    const issued = history([...validated, cmd.issue()]);
    const [reissued] = spec.given(issued).when(cmd.reissue()).events();
    expect(reissued).toEqual({
      type: 'DocumentReissued',
      data: {
        reissue: { number: 'JAL-A-1', version: 2, pdfSha256: 'q'.repeat(64), credentialSha256: 'd'.repeat(64), reason: 'police Unicode' },
        by: { id: 'jalon', role: 'system' },
        at: at(50),
      },
    });
    // The same version delivered again (a job run twice): nothing more.
    spec
      .given([...issued, reissued])
      .when(cmd.reissue())
      .then([]);
    expect(stateOf([...issued, reissued]).documents['JAL-A-1']).toMatchObject({
      number: 'JAL-A-1',
      decisionEventId: 'evt-1',
      version: 2,
      pdfSha256: 'q'.repeat(64),
      credentialSha256: 'd'.repeat(64),
      issuedAt: at(21),
      reissuedAt: at(50),
    });
    expect(
      typesOf(
        spec
          .given([...issued, reissued])
          .when(cmd.reissue({ version: 3, pdfSha256: 'r'.repeat(64) }))
          .events(),
      ),
    ).toEqual(['DocumentReissued']);
  });
});

describe('R11 a validity period in days covers its first and last days whole, in French time', () => {
  const durationsAt = (terms: Partial<typeof tiersTemps>, scheduledAt: string) => {
    const [e] = spec
      .given(history([...enrolled, cmd.grant('acc-1', { ...tiersTemps, ...terms })]))
      .when(cmd.schedule('s1', 'E1', scheduledAt))
      .events();
    return e.type === 'SittingScheduled' ? e.data.timedParts.map((p) => p.effectiveDurationMinutes) : [];
  };

  it('a tiers-temps valid until 2027-06-30 applies all that day, not the next', () => {
    expect(durationsAt({ validUntil: '2027-06-30' }, '2027-06-30T09:00:00+02:00')).toEqual([40]);
    expect(durationsAt({ validUntil: '2027-06-30' }, '2027-06-30T23:30:00+02:00')).toEqual([40]);
    expect(durationsAt({ validUntil: '2027-06-30' }, '2027-07-01T00:30:00+02:00')).toEqual([30]);
  });

  it('one valid from 2027-01-01 applies from midnight in Paris, an hour before midnight UTC', () => {
    expect(durationsAt({ validFrom: '2027-01-01' }, '2026-12-31T23:30:00Z')).toEqual([40]);
    expect(durationsAt({ validFrom: '2027-01-01' }, '2026-12-31T22:30:00Z')).toEqual([30]);
  });

  it('the French day of an instant follows summer and winter time', () => {
    expect(dayInFrance('2027-06-30T22:30:00Z')).toBe('2027-07-01');
    expect(dayInFrance('2027-01-15T22:30:00Z')).toBe('2027-01-15');
  });
});

describe('holding a sitting: the conditions given are stated once each, after the fact', () => {
  const scheduled = history([...enrolled, cmd.grant(), cmd.schedule('s1', 'E1')]);

  it('a timed part or an accommodation given twice is refused', () => {
    spec
      .given(scheduled)
      .when(
        cmd.hold(
          's1',
          [
            { code: 'soutenance', actualDurationMinutes: 40 },
            { code: 'soutenance', actualDurationMinutes: 20 },
          ],
          ['acc-1'],
        ),
      )
      .thenThrows(ValidationError, 'SITTING.TIMED_PART_REPEATED');
    spec
      .given(scheduled)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1', 'acc-1']))
      .thenThrows(ValidationError, 'SITTING.ACCOMMODATION_REPEATED');
  });

  it('an assessor of the sitting records it held, as the admin would; another assessor may not', () => {
    const hold = cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']);
    if (hold.type !== 'RecordSittingHeld') throw new Error('a hold');
    const [held] = spec
      .given(scheduled)
      .when({ ...hold, data: { ...hold.data, by: assessor } })
      .events();
    expect(held).toMatchObject({ type: 'SittingHeld', data: { sittingId: 's1', accommodationsApplied: ['acc-1'], by: assessor } });
    spec
      .given(scheduled)
      .when({ ...hold, data: { ...hold.data, by: otherAssessor } })
      .thenThrows(ForbiddenError, 'SITTING.ASSESSOR_NOT_ASSIGNED');
  });

  it('a sitting cannot be recorded as held ahead of the clock', () => {
    const hold = cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']);
    if (hold.type !== 'RecordSittingHeld') throw new Error('a hold');
    spec
      .given(scheduled)
      .when({ ...hold, data: { ...hold.data, heldAt: at(12) } })
      .thenThrows(ValidationError, 'SITTING.HELD_IN_FUTURE');
  });
});

describe('R11 an accommodation changed after a sitting was scheduled revises what that sitting owes, until it is held', () => {
  const scheduled = history([...enrolled, cmd.schedule('s1', 'E1')]);
  const revisionsOf = (events: readonly EnrollmentEvent[]) =>
    events.filter((e) => e.type === 'SittingConditionsRevised').map((e) => e.type === 'SittingConditionsRevised' && e.data);

  it('a tiers-temps granted after scheduling lengthens the soutenance, and the sitting then owes it', () => {
    const events = spec.given(scheduled).when(cmd.grant()).events();
    expect(revisionsOf(events)).toEqual([
      {
        sittingId: 's1',
        timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }],
        applicableAccommodations: [{ accommodationId: 'acc-1', kind: 'tiers-temps' }],
        cause: { accommodationId: 'acc-1', change: 'granted' },
        by: referent,
        at: at(1),
      },
    ]);
    const after = [...scheduled, ...events];
    // Held in 40 minutes with the measure applied; or in 30 without it, a finding.
    spec
      .given(after)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']))
      .events();
    const [held] = spec
      .given(after)
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 30 }], []))
      .events();
    expect(held.type === 'SittingHeld' && held.data.accommodationsNotApplied).toEqual([{ accommodationId: 'acc-1', kind: 'tiers-temps' }]);
  });

  it('amended to more time, the sitting owes more; ended before it, the sitting owes nothing and no finding follows', () => {
    const granted = history([...enrolled, cmd.schedule('s1', 'E1'), cmd.grant()]);
    const amended = spec
      .given(granted)
      .when(cmd.amend('acc-1', { kind: 'extra-time', extraTime: { numerator: 1, denominator: 2 }, scope: { all: true }, validFrom: T0 }))
      .events();
    expect(revisionsOf(amended).map((r) => r && r.timedParts)).toEqual([[{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 45 }]]);
    const ended = spec
      .given(granted)
      .when(cmd.end('acc-1', at(3)))
      .events();
    expect(revisionsOf(ended)).toEqual([
      expect.objectContaining({
        timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 30 }],
        applicableAccommodations: [],
        cause: { accommodationId: 'acc-1', change: 'ended' },
      }),
    ]);
    const [held] = spec
      .given([...granted, ...ended])
      .when(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 30 }], []))
      .events();
    expect(held.type === 'SittingHeld' && held.data.accommodationsNotApplied).toEqual([]);
  });

  it('a held sitting keeps the conditions it was held under, and a change that alters nothing revises nothing', () => {
    const held = history([...enrolled, cmd.schedule('s1', 'E1'), cmd.hold('s1', fixtureTimedParts('E1'))]);
    expect(revisionsOf(spec.given(held).when(cmd.grant()).events())).toEqual([]);
    const elsewhere = spec
      .given(scheduled)
      .when(cmd.grant('acc-2', { ...tiersTemps, scope: { all: false, epreuves: ['E4'] } }))
      .events();
    expect(revisionsOf(elsewhere)).toEqual([]);
  });
});
