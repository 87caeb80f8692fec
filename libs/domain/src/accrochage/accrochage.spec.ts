import { ForbiddenError, ValidationError } from '../shared/errors';
import { CandidateIdentity } from '../candidate/candidate.decider';
import { deciderSpec } from '../testing/decider-spec';
import { admin, T0 } from '../testing/enrollment-fixtures';
import {
  AccrochageCommand,
  AccrochageEvent,
  AccrochageState,
  declarationDueDate,
  decideAccrochage,
  evolveAccrochage,
  initialAccrochageState,
  titulaireOf,
} from './accrochage';

const spec = deciderSpec<AccrochageCommand, AccrochageEvent, AccrochageState>(decideAccrochage, evolveAccrochage, initialAccrochageState);
const declare = (fluxId: string, holders: { enrollmentId: string; idTechnique: string }[], redeclare = false): AccrochageCommand => ({
  type: 'RecordAccrochageDeclaration',
  data: { fluxId, certifierId: 'ecole', holders, redeclare, by: admin, now: T0 },
});
const declared = (fluxId: string, holders: { enrollmentId: string; idTechnique: string; redeclared?: boolean }[]): AccrochageEvent => ({
  type: 'AccrochageDeclared',
  data: { fluxId, certifierId: 'ecole', holders, by: admin, at: T0 },
});

describe('accrochage declarations: each award declared once (L6113-8)', () => {
  it('records the holders of a flux with their ids', () => {
    spec
      .given([])
      .when(declare('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }]))
      .then([declared('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }])]);
  });

  it('leaves out a holder already declared under the same id, and records nothing when none is left', () => {
    const first = declared('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }]);
    spec
      .given([first])
      .when(
        declare('F2', [
          { enrollmentId: 'e1', idTechnique: 'a1' },
          { enrollmentId: 'e2', idTechnique: 'a2' },
        ]),
      )
      .then([declared('F2', [{ enrollmentId: 'e2', idTechnique: 'a2' }])]);
    spec
      .given([first])
      .when(declare('F2', [{ enrollmentId: 'e1', idTechnique: 'a1' }]))
      .then([]);
  });

  it('declares a new award of the same enrollment (after an annulment made good) under its new id', () => {
    spec
      .given([declared('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }])])
      .when(declare('F2', [{ enrollmentId: 'e1', idTechnique: 'a9' }]))
      .then([declared('F2', [{ enrollmentId: 'e1', idTechnique: 'a9' }])]);
  });

  it('redeclares on request under the same id, saying so', () => {
    spec
      .given([declared('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }])])
      .when(declare('F2', [{ enrollmentId: 'e1', idTechnique: 'a1' }], true))
      .then([declared('F2', [{ enrollmentId: 'e1', idTechnique: 'a1', redeclared: true }])]);
  });

  it('records a flux once: the same flux id again records nothing', () => {
    spec
      .given([declared('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }])])
      .when(declare('F1', [{ enrollmentId: 'e2', idTechnique: 'a2' }]))
      .then([]);
  });

  it('is an admin’s act, with a flux id the CDC takes', () => {
    spec
      .given([])
      .when({ ...declare('F1', [{ enrollmentId: 'e1', idTechnique: 'a1' }]), data: { ...declare('F1', []).data, by: { id: 'j', role: 'jury' } } })
      .thenThrows(ForbiddenError, 'ACCROCHAGE.NOT_ADMIN');
    spec
      .given([])
      .when(declare('F 1 with spaces', [{ enrollmentId: 'e1', idTechnique: 'a1' }]))
      .thenThrows(ValidationError, 'ACCROCHAGE.INVALID_FLUX_ID');
  });

  it('is due three months after the award, on the month’s last day when the date does not exist', () => {
    expect(declarationDueDate('2026-07-02')).toBe('2026-10-02');
    expect(declarationDueDate('2026-11-30')).toBe('2027-02-28');
    expect(declarationDueDate('2027-11-30')).toBe('2028-02-29');
  });
});

describe('the holder as the CDC’s schema takes them', () => {
  const identity: CandidateIdentity = {
    birthName: 'Martin',
    usageName: 'Martin',
    firstNames: ['Léa', 'Marie'],
    birthDate: '2001-03-14',
    sex: 'F',
    birthPlace: 'Ajaccio',
    birthPlaceCodes: { inseeCode: '2a004' },
    email: 'lea@example.org',
  };

  it('maps a complete identity: the usage name only when it differs, Corsica’s INSEE code upper-cased', () => {
    expect(titulaireOf(identity)).toEqual({
      titulaire: {
        nomNaissance: 'Martin',
        prenoms: ['Léa', 'Marie'],
        anneeNaissance: 2001,
        moisNaissance: 3,
        jourNaissance: 14,
        sexe: 'F',
        codeInseeNaissance: '2A004',
      },
    });
  });

  it('reports each missing or invalid field, never guessing one', () => {
    expect(titulaireOf({ ...identity, birthPlaceCodes: undefined })).toEqual({
      problems: [{ field: 'birthPlaceCodes.inseeCode', reason: 'missing: the INSEE code (or the postal code) of the birth commune' }],
    });
    expect(titulaireOf({ ...identity, birthName: 'X'.repeat(61), birthPlaceCodes: { inseeCode: '6912' } })).toEqual({
      problems: [
        { field: 'birthName', reason: 'longer than 60 characters' },
        { field: 'birthPlaceCodes.inseeCode', reason: 'not an INSEE code (5 characters)' },
      ],
    });
    expect(titulaireOf({ ...identity, birthPlaceCodes: { inseeCode: '99350' } })).toEqual({
      problems: [{ field: 'birthPlaceCodes.countryCode', reason: 'missing: born abroad, the country code and name are declared' }],
    });
    expect(titulaireOf({ ...identity, firstNames: ['A', 'B', 'C', 'D'] })).toEqual({
      problems: [{ field: 'firstNames', reason: 'more than 3 first names: the CDC takes 3' }],
    });
  });
});
