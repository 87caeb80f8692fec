import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor } from '../shared/actor';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { deciderSpec } from '../testing/decider-spec';
import { fixtureReferential } from '../testing/fixture-referential';
import { admin, at, jury, T0 } from '../testing/enrollment-fixtures';
import { indexReferential } from './referential-index';
import {
  decideReferential,
  evolveReferential,
  initialReferentialState,
  ReferentialCommand,
  ReferentialEvent,
  ReferentialState,
  withdrawalOf,
} from './referential-version.decider';
import { validateReferentialContent } from './referential-validation';
import { Referential } from './referential.model';

const spec = deciderSpec<ReferentialCommand, ReferentialEvent, ReferentialState>(decideReferential, evolveReferential, initialReferentialState);
const publish = (content: Referential, contentHash: string): ReferentialCommand => ({
  type: 'PublishReferentialVersion',
  data: { content, contentHash, by: admin, now: T0 },
});
const published = (content: Referential, contentHash: string): ReferentialEvent => ({
  type: 'ReferentialVersionPublished',
  data: { referentialId: content.referential, version: content.version, contentHash, content, by: admin, at: T0 },
});

describe('référentiel versions (R1)', () => {
  it('publishing a version records its content and hash', () => {
    spec
      .given([])
      .when(publish(fixtureReferential, 'h1'))
      .then([published(fixtureReferential, 'h1')]);
  });

  it('publishing the same content again is a no-op', () => {
    spec
      .given([published(fixtureReferential, 'h1')])
      .when(publish(fixtureReferential, 'h1'))
      .then([]);
  });

  it('changed content needs a new version number', () => {
    spec
      .given([published(fixtureReferential, 'h1')])
      .when(publish(fixtureReferential, 'h2'))
      .thenThrows(ConflictError, 'REFERENTIAL.VERSION_CONTENT_CHANGED');
    const v2 = { ...fixtureReferential, version: '2' };
    spec
      .given([published(fixtureReferential, 'h1')])
      .when(publish(v2, 'h2'))
      .then([published(v2, 'h2')]);
  });

  it('an invalid référentiel is never published', () => {
    const broken = { ...fixtureReferential, blocs: [fixtureReferential.blocs[0], fixtureReferential.blocs[0]] };
    const error = spec.given([]).when(publish(broken, 'h3')).thenThrows(ValidationError, 'REFERENTIAL.INVALID');
    expect((error.details.problems as unknown[]).length).toBeGreaterThan(0);
  });
});

const withdraw = (version: string, reason = 'remplacée par la version 2', by: Actor = admin, now = at(30)): ReferentialCommand => ({
  type: 'WithdrawReferentialVersion',
  data: { version, reason, by, now },
});
const withdrawn = (version: string, reason = 'remplacée par la version 2', now = at(30)): ReferentialEvent => ({
  type: 'ReferentialVersionWithdrawn',
  data: { referentialId: fixtureReferential.referential, version, reason, by: admin, at: now },
});
const v2 = { ...fixtureReferential, version: '2' };

describe('withdrawing a version from new enrollments (issue 15)', () => {
  it('an admin withdraws a published version, saying why; the state knows when and why', () => {
    spec
      .given([published(fixtureReferential, 'h1'), published(v2, 'h2')])
      .when(withdraw('1'))
      .then([withdrawn('1')]);
    const state = [published(fixtureReferential, 'h1'), published(v2, 'h2'), withdrawn('1')].reduce(evolveReferential, initialReferentialState());
    expect(withdrawalOf(state, '1')).toEqual({ at: at(30), reason: 'remplacée par la version 2', by: admin });
    // The other versions, and the version's publication, are untouched.
    expect(withdrawalOf(state, '2')).toBeUndefined();
    expect(state.versions.get('1')).toMatchObject({ contentHash: 'h1', publishedAt: T0 });
  });

  it('a version is withdrawn once: a second withdrawal would rewrite when and why', () => {
    const error = spec
      .given([published(fixtureReferential, 'h1'), withdrawn('1')])
      .when(withdraw('1', 'encore', admin, at(40)))
      .thenThrows(ConflictError, 'REFERENTIAL.VERSION_ALREADY_WITHDRAWN');
    expect(error.details).toEqual({ version: '1', withdrawnAt: at(30) });
  });

  it('publishing the withdrawn version again changes nothing: it stays withdrawn', () => {
    spec
      .given([published(fixtureReferential, 'h1'), withdrawn('1')])
      .when(publish(fixtureReferential, 'h1'))
      .then([]);
  });

  it('only an admin withdraws; an unknown version is not found; a reason is required', () => {
    spec
      .given([published(fixtureReferential, 'h1')])
      .when(withdraw('1', 'x', jury))
      .thenThrows(ForbiddenError, 'REFERENTIAL.NOT_ADMIN');
    spec
      .given([published(fixtureReferential, 'h1')])
      .when(withdraw('9'))
      .thenThrows(NotFoundError, 'REFERENTIAL.NOT_FOUND');
    spec.given([]).when(withdraw('1')).thenThrows(NotFoundError, 'REFERENTIAL.NOT_FOUND');
    const error = spec
      .given([published(fixtureReferential, 'h1')])
      .when(withdraw('1', '  '))
      .thenThrows(ValidationError, 'COMMAND.FIELD_REQUIRED');
    expect(error.details).toEqual({ field: 'reason' });
  });
});

describe('référentiel decider: every typed error', () => {
  type ErrorClass = abstract new (...args: never[]) => DomainError;
  const cases: { code: string; kind: ErrorClass; given: ReferentialEvent[]; when: ReferentialCommand }[] = [
    {
      code: 'REFERENTIAL.INVALID',
      kind: ValidationError,
      given: [],
      when: publish({ ...fixtureReferential, blocs: [fixtureReferential.blocs[0], fixtureReferential.blocs[0]] }, 'h3'),
    },
    { code: 'REFERENTIAL.VERSION_CONTENT_CHANGED', kind: ConflictError, given: [published(fixtureReferential, 'h1')], when: publish(fixtureReferential, 'h2') },
    { code: 'REFERENTIAL.NOT_ADMIN', kind: ForbiddenError, given: [published(fixtureReferential, 'h1')], when: withdraw('1', 'x', jury) },
    { code: 'COMMAND.FIELD_REQUIRED', kind: ValidationError, given: [published(fixtureReferential, 'h1')], when: withdraw('1', '') },
    { code: 'REFERENTIAL.NOT_FOUND', kind: NotFoundError, given: [published(fixtureReferential, 'h1')], when: withdraw('2') },
    {
      code: 'REFERENTIAL.VERSION_ALREADY_WITHDRAWN',
      kind: ConflictError,
      given: [published(fixtureReferential, 'h1'), withdrawn('1')],
      when: withdraw('1'),
    },
    { code: 'COMMAND.UNKNOWN', kind: ValidationError, given: [], when: { type: 'UnpublishEverything', data: { by: admin, now: T0 } } as never },
  ];

  it.each(cases.map((c) => [c.code, c] as const))('%s', (_code, c) => {
    const error = spec.given(c.given).when(c.when).thenThrows(c.kind, c.code);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('covers every error code the decider can raise', () => {
    const source = readFileSync(join(__dirname, 'referential-version.decider.ts'), 'utf8');
    const raised = new Set([...source.matchAll(/Error\(\s*'([A-Z_]+\.[A-Z_]+)'/g)].map((m) => m[1]));
    expect(raised.size).toBeGreaterThanOrEqual(cases.length);
    expect([...raised].filter((code) => !cases.some((c) => c.code === code)).sort()).toEqual([]);
  });
});

describe('référentiel content rules', () => {
  const codes = (referential: Referential) => validateReferentialContent(referential).map((p) => `${p.code} ${p.path}`);
  const withBloc = (i: number, change: (bloc: Referential['blocs'][number]) => Referential['blocs'][number]): Referential => ({
    ...fixtureReferential,
    blocs: fixtureReferential.blocs.map((bloc, j) => (j === i ? change(bloc) : bloc)),
  });

  it('the fixture has no problem', () => {
    expect(codes(fixtureReferential)).toEqual([]);
  });

  it('reports duplicate codes with their place', () => {
    expect(codes({ ...fixtureReferential, blocs: [...fixtureReferential.blocs, { ...fixtureReferential.blocs[1], code: 'BC01' }] })).toEqual(
      expect.arrayContaining([
        'REFERENTIAL.DUPLICATE_CODE /blocs/4/code',
        'REFERENTIAL.DUPLICATE_CODE /blocs/4/competencies/0/code',
        'REFERENTIAL.DUPLICATE_CODE /blocs/4/epreuves/0/code',
      ]),
    );
    expect(
      codes(
        withBloc(0, (b) => ({
          ...b,
          competencies: [
            {
              ...b.competencies[0],
              criteria: [
                { code: 'CE1', text: 'a' },
                { code: 'CE1', text: 'b' },
              ],
            },
            b.competencies[1],
          ],
        })),
      ),
    ).toEqual(['REFERENTIAL.DUPLICATE_CODE /blocs/0/competencies/0/criteria/1/code']);
  });

  it('reports an épreuve covering an unknown competency, and the competency no épreuve assesses', () => {
    expect(codes(withBloc(0, (b) => ({ ...b, epreuves: [{ ...b.epreuves[0], covers: ['C1', 'C9'] }] })))).toEqual([
      'REFERENTIAL.UNKNOWN_COMPETENCY /blocs/0/epreuves/0/covers/1',
      'REFERENTIAL.UNASSESSED_COMPETENCY /blocs/0/competencies/1',
    ]);
  });

  it('reports a criterion attached to nothing, and a competency no criterion bears on', () => {
    const changed = withBloc(1, (b) => ({
      ...b,
      epreuves: [
        { ...b.epreuves[0], covers: ['C3'], criteria: [{ code: 'CR1', text: 'x', competencies: ['C4'] }] },
        { ...b.epreuves[0], code: 'E2b', covers: ['C4'], criteria: [] },
      ],
    }));
    expect(codes(changed)).toEqual([
      'REFERENTIAL.CRITERION_ATTACHED_TO_NOTHING /blocs/1/epreuves/0/criteria/0/competencies/0',
      'REFERENTIAL.COMPETENCY_WITHOUT_CRITERIA /blocs/1/competencies/0',
      // and E2b, left with no criterion at all, could never be assessed
      'REFERENTIAL.UNASSESSABLE_EPREUVE /blocs/1/epreuves/1',
    ]);
  });

  it('reports an option group that does not exist or cannot be satisfied', () => {
    expect(codes({ ...fixtureReferential, optionGroups: [{ code: 'OPT', title: 'x', choose: 3 }] })).toEqual([
      'REFERENTIAL.UNSATISFIABLE_OPTION_GROUP /optionGroups/0/choose',
    ]);
    expect(codes(withBloc(2, (b) => ({ ...b, optionGroup: 'NOPE' })))).toEqual(['REFERENTIAL.UNKNOWN_OPTION_GROUP /blocs/2/optionGroup']);
  });

  it('indexes the criteria each épreuve rules on and those bearing on each competency', () => {
    const index = indexReferential(fixtureReferential);
    expect(index.epreuves.get('E1')?.criteria).toEqual(['C1/CE1', 'C1/CE2', 'C2/CE1']);
    expect(index.criteriaBearingOn.get('C3')).toEqual(['E2/CR1', 'E2/CR2']);
    expect(index.criteriaBearingOn.get('C4')).toEqual(['E2/CR2']);
    expect(index.mandatoryBlocs).toEqual(['BC01', 'BC02']);
  });
});
