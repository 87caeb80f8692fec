import { Viewer } from './accommodation-views';
import { accommodationsAsSeenBy, accommodationsViewOf, maySeeSittingConditions, readsAccommodations } from './accommodation-views';
import { AccommodationTerms } from './accommodation';
import { EnrollmentEvent } from './enrollment.events';
import { ActiveEnrollment, foldEnrollment } from './enrollment.state';
import { decideEnrollment } from './enrollment.decider';
import { ERASED, SEALED, sealedToErased } from '../shared/withheld';
import { fixtureReferential } from '../testing/fixture-referential';
import { assessor, at, cmd, fixtureTimedParts, history, otherAssessor, T0 } from '../testing/enrollment-fixtures';

const withDetails: AccommodationTerms = { kind: 'tiers-temps', scope: { all: true }, validFrom: T0, details: 'salle au calme, pauses' };
const assistance: AccommodationTerms = { kind: 'third-party-assistance', scope: { all: true }, validFrom: T0, details: 'secrétaire lecteur' };
const stateOf = (events: readonly EnrollmentEvent[]) => foldEnrollment(events) as ActiveEnrollment;
const viewer = (role: Viewer['role'], id = `${role}-1`): Viewer => ({ role, id });

/** A path with two measures, a sitting assessed by assessor-1 where only the tiers-temps was given. */
const path = (consent = false) =>
  history([
    cmd.enroll(),
    cmd.grant('acc-1', withDetails),
    cmd.grant('acc-2', assistance),
    ...(consent ? [cmd.consent()] : []),
    cmd.schedule('s1', 'E1'),
    cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']),
  ]);

/** What a projection folds: the sealed fields replaced by the marker, as the vault stores them. */
const sealed = (events: readonly EnrollmentEvent[], marker = SEALED): EnrollmentEvent[] =>
  events.map((event) => {
    switch (event.type) {
      case 'AccommodationGranted':
        return { ...event, data: { ...event.data, terms: marker } };
      case 'SittingScheduled':
        return { ...event, data: { ...event.data, applicableAccommodations: event.data.applicableAccommodations.map((a) => ({ ...a, kind: marker })) } };
      case 'SittingHeld':
        return { ...event, data: { ...event.data, accommodationsNotApplied: event.data.accommodationsNotApplied.map((a) => ({ ...a, kind: marker })) } };
      default:
        return event;
    }
  });

describe('R14: each reader sees what they must of the accommodations', () => {
  it('the referent and the candidate themselves see every measure in full, details included', () => {
    for (const reader of [viewer('referent'), { role: 'candidate' as const, id: 'cand-1' }]) {
      const view = accommodationsAsSeenBy(reader, stateOf(path()));
      expect(view).toEqual({
        view: 'full',
        juryDisclosureConsent: false,
        accommodations: [
          { accommodationId: 'acc-1', terms: withDetails, grantedAt: at(1) },
          { accommodationId: 'acc-2', terms: assistance, grantedAt: at(1) },
        ],
      });
    }
    expect(accommodationsAsSeenBy({ role: 'candidate', id: 'someone-else' }, stateOf(path()))).toEqual({ view: 'none' });
  });

  it('an assessor sees what to apply at the sittings they are assigned to: durations and instructions (each measure by its id, to record it given), no details', () => {
    const view = accommodationsAsSeenBy(viewer('assessor', assessor.id), stateOf(path()));
    expect(view).toEqual({
      view: 'to-apply',
      sittings: [
        {
          sittingId: 's1',
          epreuve: 'E1',
          scheduledAt: at(10),
          timedParts: [{ code: 'soutenance', durationMinutes: 40 }],
          measures: [
            { accommodationId: 'acc-1', kind: 'tiers-temps', instruction: 'Temps majoré d’un tiers : appliquer les durées indiquées' },
            { accommodationId: 'acc-2', kind: 'third-party-assistance', instruction: 'Assistant présent pendant l’épreuve' },
          ],
        },
      ],
    });
    expect(JSON.stringify(view)).not.toContain('secrétaire');
    expect(accommodationsAsSeenBy(viewer('assessor', otherAssessor.id), stateOf(path()))).toEqual({ view: 'to-apply', sittings: [] });
  });

  it('an assessor has nothing to apply at a sitting still scheduled on a path closed since (withdrawn or transferred)', () => {
    const scheduled = history([cmd.enroll(), cmd.grant('acc-1', withDetails), cmd.schedule('s1', 'E1')]);
    const open = accommodationsAsSeenBy(viewer('assessor', assessor.id), stateOf(scheduled));
    expect(open.view === 'to-apply' && open.sittings.map((s) => s.sittingId)).toEqual(['s1']);
    const withdrawn = history([cmd.enroll(), cmd.grant('acc-1', withDetails), cmd.schedule('s1', 'E1'), cmd.withdraw()]);
    expect(accommodationsAsSeenBy(viewer('assessor', assessor.id), stateOf(withdrawn))).toEqual({ view: 'to-apply', sittings: [] });
    // What was held stays: the assessor sees what was owed there.
    const heldThenWithdrawn = history([
      cmd.enroll(),
      cmd.grant('acc-1', withDetails),
      cmd.schedule('s1', 'E1'),
      cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }], ['acc-1']),
      cmd.withdraw(),
    ]);
    expect(accommodationsAsSeenBy(viewer('assessor', assessor.id), stateOf(heldThenWithdrawn))).toMatchObject({
      view: 'to-apply',
      sittings: [{ sittingId: 's1' }],
    });
  });

  it('the jury sees the measures, without details, only once the candidate consented (R10)', () => {
    expect(accommodationsAsSeenBy(viewer('jury'), stateOf(path(false)))).toEqual({ view: 'none' });
    const { details: _d1, ...measure1 } = withDetails;
    const { details: _d2, ...measure2 } = assistance;
    expect(accommodationsAsSeenBy(viewer('jury'), stateOf(path(true)))).toEqual({
      view: 'consented',
      accommodations: [
        { accommodationId: 'acc-1', measure: measure1, grantedAt: at(1) },
        { accommodationId: 'acc-2', measure: measure2, grantedAt: at(1) },
      ],
    });
  });

  it('an auditor sees the kind of each measure and where it was applied or not, nothing more', () => {
    expect(accommodationsAsSeenBy(viewer('auditor'), stateOf(path()))).toEqual({
      view: 'kinds',
      accommodations: [
        { accommodationId: 'acc-1', kind: 'tiers-temps', grantedAt: at(1), appliedAt: ['s1'], notAppliedAt: [] },
        { accommodationId: 'acc-2', kind: 'third-party-assistance', grantedAt: at(1), appliedAt: [], notAppliedAt: ['s1'] },
      ],
    });
  });

  it('an admin and a DPO see no measure; effective durations are for admins, auditors, the referent, the candidate, the sitting’s assessors and a consented jury', () => {
    const state = stateOf(path());
    expect(accommodationsAsSeenBy(viewer('admin'), state)).toEqual({ view: 'none' });
    expect(accommodationsAsSeenBy(viewer('dpo'), state)).toEqual({ view: 'none' });
    const sitting = state.sittings.s1;
    expect(['admin', 'auditor', 'referent'].map((role) => maySeeSittingConditions(viewer(role as Viewer['role']), state, sitting))).toEqual([true, true, true]);
    expect(maySeeSittingConditions({ role: 'candidate', id: 'cand-1' }, state, sitting)).toBe(true);
    expect(maySeeSittingConditions({ role: 'candidate', id: 'other' }, state, sitting)).toBe(false);
    expect(maySeeSittingConditions(viewer('assessor', assessor.id), state, sitting)).toBe(true);
    expect(maySeeSittingConditions(viewer('assessor', otherAssessor.id), state, sitting)).toBe(false);
    expect(maySeeSittingConditions(viewer('jury'), state, sitting)).toBe(false);
    expect(maySeeSittingConditions(viewer('jury'), stateOf(path(true)), sitting)).toBe(true);
  });

  it('which view a reader gets is known from who the path is about and the consent alone, before any accommodation is read', () => {
    const readers: Viewer[] = [
      viewer('referent'),
      { role: 'candidate', id: 'cand-1' },
      { role: 'candidate', id: 'someone-else' },
      viewer('jury'),
      viewer('assessor', assessor.id),
      viewer('auditor'),
      viewer('admin'),
      viewer('dpo'),
    ];
    for (const consent of [false, true]) {
      const state = stateOf(path(consent));
      expect(readers.map((reader) => accommodationsViewOf(reader, state))).toEqual(readers.map((reader) => accommodationsAsSeenBy(reader, state).view));
    }
    expect(readers.map((reader) => accommodationsViewOf(reader, { candidateId: 'cand-1', juryDisclosureConsent: false }))).toEqual([
      'full',
      'full',
      'none',
      'none',
      'to-apply',
      'kinds',
      'none',
      'none',
    ]);
  });

  it('says when answering means opening sealed facts, so the read is recorded', () => {
    expect(readsAccommodations(accommodationsAsSeenBy(viewer('referent'), stateOf(sealed(path()))))).toBe(true);
    expect(readsAccommodations(accommodationsAsSeenBy(viewer('admin'), stateOf(path())))).toBe(false);
    expect(readsAccommodations(accommodationsAsSeenBy(viewer('referent'), stateOf(history([cmd.enroll()]))))).toBe(false);
  });
});

describe('R14: a path whose accommodation facts are sealed or erased still folds and still answers', () => {
  it('an erasure turns what a reader folded sealed into erased, and nothing else', () => {
    const folded = stateOf(sealed(path()));
    expect(sealedToErased(folded)).toEqual(stateOf(sealed(path(), ERASED)));
    expect(sealedToErased(stateOf(path()))).toEqual(stateOf(path()));
  });

  it('views show the marker where the data was, and the rest stands', () => {
    const erased = stateOf(sealed(path(), ERASED));
    expect(accommodationsAsSeenBy(viewer('referent'), erased)).toMatchObject({
      accommodations: [
        { accommodationId: 'acc-1', terms: ERASED },
        { accommodationId: 'acc-2', terms: ERASED },
      ],
    });
    expect(accommodationsAsSeenBy(viewer('auditor'), erased)).toMatchObject({
      accommodations: [
        { kind: ERASED, appliedAt: ['s1'] },
        { kind: ERASED, notAppliedAt: ['s1'] },
      ],
    });
    expect(accommodationsAsSeenBy(viewer('assessor', assessor.id), erased)).toMatchObject({
      sittings: [{ timedParts: [{ code: 'soutenance', durationMinutes: 40 }], measures: [ERASED, ERASED] }],
    });
    expect(erased.sittings.s1.timedParts).toEqual([{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }]);
  });

  it('a measure whose terms are erased applies to no new sitting, and holding that sitting needs nothing of it', () => {
    const events = sealed(history([cmd.enroll(), cmd.grant('acc-1', withDetails)]), ERASED);
    const scheduled = decideEnrollment(cmd.schedule('s2', 'E1', at(12)), stateOf(events), { referential: fixtureReferential });
    expect(scheduled).toMatchObject([
      {
        type: 'SittingScheduled',
        data: { applicableAccommodations: [], timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 30 }] },
      },
    ]);
    const held = decideEnrollment(cmd.hold('s2', fixtureTimedParts('E1')), stateOf([...events, ...scheduled]), { referential: fixtureReferential });
    expect(held).toMatchObject([{ type: 'SittingHeld', data: { accommodationsApplied: [], accommodationsNotApplied: [] } }]);
  });

  it('a sitting scheduled before the erasure keeps its durations and still records which measure was not given', () => {
    const events = sealed(history([cmd.enroll(), cmd.grant('acc-1', withDetails), cmd.schedule('s1', 'E1')]), ERASED);
    const held = decideEnrollment(cmd.hold('s1', [{ code: 'soutenance', actualDurationMinutes: 40 }]), stateOf(events), { referential: fixtureReferential });
    expect(held).toMatchObject([
      {
        type: 'SittingHeld',
        data: { timedParts: [{ code: 'soutenance', scheduledMinutes: 40 }], accommodationsNotApplied: [{ accommodationId: 'acc-1', kind: ERASED }] },
      },
    ]);
  });
});
