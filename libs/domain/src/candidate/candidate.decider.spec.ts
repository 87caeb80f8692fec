import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { Actor } from '../shared/actor';
import { disclosed, ERASED } from '../shared/withheld';
import { deciderSpec } from '../testing/decider-spec';
import { admin, T0 } from '../testing/enrollment-fixtures';
import { CandidateCommand, CandidateEvent, CandidateState, decideCandidate, evolveCandidate, initialCandidateState, registeredIn } from './candidate.decider';

const spec = deciderSpec<CandidateCommand, CandidateEvent, CandidateState>(decideCandidate, evolveCandidate, initialCandidateState);
const identity = {
  birthName: 'Martin',
  usageName: 'Durand',
  firstNames: ['Léa', 'Marie'],
  birthDate: '2001-03-14',
  sex: 'F' as const,
  birthPlace: 'Lyon (69)',
  email: 'lea.durand@example.org',
};
const register = (over: Partial<typeof identity> = {}): CandidateCommand => ({
  type: 'RegisterCandidate',
  data: { candidateId: 'c-1', organisationId: 'org-1', identity: { ...identity, ...over }, by: admin, now: T0 },
});
const registered: CandidateEvent = { type: 'CandidateRegistered', data: { candidateId: 'c-1', organisationId: 'org-1', identity, by: admin, at: T0 } };

describe('candidate identity', () => {
  it('registers a candidate with their identity, by whom and when', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('refuses a second registration, a future birth date and no first name', () => {
    spec.given([registered]).when(register()).thenThrows(ConflictError, 'CANDIDATE.ALREADY_REGISTERED');
    spec
      .given([])
      .when(register({ birthDate: '2999-01-01' }))
      .thenThrows(ValidationError, 'CANDIDATE.INVALID_BIRTH_DATE');
    spec
      .given([])
      .when(register({ firstNames: [] }))
      .thenThrows(ValidationError, 'CANDIDATE.FIRST_NAME_REQUIRED');
  });

  it('a candidate of another organisation does not exist for it', () => {
    const state = evolveCandidate(initialCandidateState(), registered);
    expect(disclosed(registeredIn(state, 'org-1').identity)?.birthName).toBe('Martin');
    expect(() => registeredIn(state, 'org-2')).toThrow(NotFoundError);
  });

  describe('amendment: the identity completed or corrected (e.g. the birth place codes the accrochage asks for)', () => {
    const amend = (changes: object, by: Actor = admin, organisationId = 'org-1'): CandidateCommand => ({
      type: 'AmendCandidateIdentity',
      data: { changes, organisationId, by, now: T0 },
    });
    const codes = { inseeCode: '69123' };

    it('records the whole identity as amended, naming the fields changed', () => {
      spec
        .given([registered])
        .when(amend({ birthPlaceCodes: codes, usageName: 'Durand' }))
        .then([
          {
            type: 'CandidateIdentityAmended',
            data: { candidateId: 'c-1', identity: { ...identity, birthPlaceCodes: codes }, fields: ['birthPlaceCodes'], by: admin, at: T0 },
          },
        ]);
      const state = evolveCandidate(
        evolveCandidate(initialCandidateState(), registered),
        spec
          .given([registered])
          .when(amend({ birthPlaceCodes: codes }))
          .events()[0],
      );
      expect(disclosed(registeredIn(state, 'org-1').identity)?.birthPlaceCodes).toEqual(codes);
    });

    it('records nothing when nothing changes, and refuses what registration refuses', () => {
      spec
        .given([registered])
        .when(amend({ birthName: 'Martin' }))
        .then([]);
      spec
        .given([registered])
        .when(amend({ birthDate: '2999-01-01' }))
        .thenThrows(ValidationError, 'CANDIDATE.INVALID_BIRTH_DATE');
    });

    it('is an admin of the candidate’s organisation’s act, and none once the data is erased', () => {
      const dpo = { id: 'dpo-1', role: 'dpo' as const };
      spec
        .given([registered])
        .when(amend({ birthPlaceCodes: codes }, dpo))
        .thenThrows(ForbiddenError, 'CANDIDATE.NOT_ADMIN');
      spec
        .given([registered])
        .when(amend({ birthPlaceCodes: codes }, admin, 'org-2'))
        .thenThrows(NotFoundError, 'CANDIDATE.NOT_FOUND');
      spec
        .given([registered, { type: 'CandidatePersonalDataErased', data: { candidateId: 'c-1', by: dpo, at: T0 } }])
        .when(amend({ birthPlaceCodes: codes }))
        .thenThrows(ConflictError, 'PERSONAL_DATA.ERASED');
    });
  });

  describe('erasure (R14)', () => {
    const dpo = { id: 'dpo-1', role: 'dpo' as const };
    const erase = (by: Actor = dpo): CandidateCommand => ({ type: 'RecordPersonalDataErased', data: { by, now: T0 } });
    const erased: CandidateEvent = { type: 'CandidatePersonalDataErased', data: { candidateId: 'c-1', by: dpo, at: T0 } };

    it('records the erasure, once: a retried erasure records nothing more', () => {
      spec.given([registered]).when(erase()).then([erased]);
      spec.given([registered, erased]).when(erase()).then([]);
    });

    it('is the data protection officer’s act, on a registered candidate', () => {
      spec.given([registered]).when(erase(admin)).thenThrows(ForbiddenError, 'ERASURE.NOT_DPO');
      spec.given([]).when(erase()).thenThrows(NotFoundError, 'CANDIDATE.NOT_FOUND');
    });

    it('a candidate whose identity is erased still folds, with the erasure date and the marker', () => {
      const state = [{ ...registered, data: { ...registered.data, identity: ERASED } } as CandidateEvent, erased].reduce(
        evolveCandidate,
        initialCandidateState(),
      );
      expect(state).toEqual({ status: 'registered', candidateId: 'c-1', organisationId: 'org-1', identity: ERASED, erasedAt: T0 });
    });
  });
});
