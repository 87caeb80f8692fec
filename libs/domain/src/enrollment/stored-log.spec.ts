import { EnrollmentCommand } from './enrollment.commands';
import { EnrollmentEvent } from './enrollment.events';
import { decideEnrollment } from './enrollment.decider';
import { ActiveEnrollment, evolveEnrollment, foldEnrollment } from './enrollment.state';
import { cmd, history, passBloc, sit } from '../testing/enrollment-fixtures';
import { fixtureReferential } from '../testing/fixture-referential';
import stored from '../testing/stored-logs/enrollment-logs-before-issue-15.json';

/**
 * Events are never rewritten: logs written before the référentiel model grew (issue 15) must still
 * fold, and lead to the same decisions. The JSON was written by the code as it stood then, from
 * these very commands.
 */
const certifiedThenAnnulled: EnrollmentCommand[] = [
  cmd.enroll(),
  cmd.grant(),
  cmd.consent(),
  ...sit('s-E1a', 'E1', (c) => c !== 'C1/CE2', [{ code: 'soutenance', actualDurationMinutes: 40 }]),
  cmd.correct('c1', 'assess-s-E1a', [
    { criterion: 'C1/CE1', met: true },
    { criterion: 'C1/CE2', met: true },
    { criterion: 'C2/CE1', met: true },
  ]),
  cmd.validateBloc('BC01'),
  ...passBloc('BC02'),
  ...passBloc('BC04'),
  cmd.validateRequirement(),
  cmd.award(),
  cmd.issue(),
  cmd.annulBloc('BC02'),
  cmd.revoke(),
];
const withdrawn: EnrollmentCommand[] = [cmd.enroll({ enrollmentId: 'enr-2' }), ...passBloc('BC01'), cmd.withdraw()];

/** What the current code records that the old did not: the capacity of assessors, on sittings and assessments. */
const ADDED_SINCE = ['assessorKind', 'capacity'];
const withoutAdditions = (events: readonly EnrollmentEvent[]) =>
  events.map((event) => ({ ...event, data: Object.fromEntries(Object.entries(event.data).filter(([key]) => !ADDED_SINCE.includes(key))) }));

describe('a log written before the référentiel model grew', () => {
  const oldCertified = stored.certified as unknown as EnrollmentEvent[];
  const oldWithdrawn = stored.withdrawn as unknown as EnrollmentEvent[];

  it('folds to the state the same commands give today', () => {
    expect(foldEnrollment(oldCertified)).toMatchObject({ status: 'open', blocs: { BC01: { status: 'validated' }, BC02: { status: 'annulled' } } });
    expect(foldEnrollment(oldWithdrawn)).toMatchObject({ status: 'withdrawn' });
    const today = foldEnrollment(history(certifiedThenAnnulled)) as ActiveEnrollment;
    const then = foldEnrollment(oldCertified) as ActiveEnrollment;
    expect(then.acquiredCompetencies).toEqual(today.acquiredCompetencies);
    expect(then.blocs).toEqual(today.blocs);
    expect(Object.keys(then.assessments)).toEqual(Object.keys(today.assessments));
  });

  it('the same commands decide the same facts today, only with what was added since', () => {
    expect(withoutAdditions(history(certifiedThenAnnulled))).toEqual(oldCertified);
    expect(withoutAdditions(history(withdrawn))).toEqual(oldWithdrawn);
  });

  it('a path folded from it goes on: the annulled bloc is retaken and validated', () => {
    let state = foldEnrollment(oldCertified);
    const events: EnrollmentEvent[] = [];
    for (const command of passBloc('BC02').map(
      (c) => ({ ...c, data: { ...c.data, sittingId: 'retake', assessmentId: 'assess-retake' } }) as EnrollmentCommand,
    )) {
      const decided = decideEnrollment(command, state, { referential: fixtureReferential });
      events.push(...decided);
      state = decided.reduce(evolveEnrollment, state);
    }
    expect(events.at(-1)).toMatchObject({ type: 'BlocValidated', data: { blocCode: 'BC02' } });
  });
});
