import { ConflictError, ValidationError } from '../shared/errors';
import { deciderSpec } from '../testing/decider-spec';
import { fixtureReferential } from '../testing/fixture-referential';
import { admin, T0 } from '../testing/enrollment-fixtures';
import { indexReferential } from './referential-index';
import {
  decideReferential,
  evolveReferential,
  initialReferentialState,
  ReferentialCommand,
  ReferentialEvent,
  ReferentialState,
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
