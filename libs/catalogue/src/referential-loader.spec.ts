import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadCatalogue } from './catalogue';
import { contentHash, loadReferentialFile, loadReferentialText, REFERENTIALS_DIR } from './referential-loader';

const seed001 = join(REFERENTIALS_DIR, 'data-engineer-data-scientist@1.yaml');

describe('référentiel loading', () => {
  it('the shipped catalogue loads without a problem: the four seeds', () => {
    const { entries, problems } = loadCatalogue();
    expect(problems).toEqual([]);
    expect(entries.map((e) => `${e.referential.referential}@${e.referential.version}`)).toEqual([
      'data-engineer-data-scientist@1',
      'data-ia-quatre-blocs@1',
      'expert-en-data-science@1',
      'expert-ingenierie-science-donnees@1',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const result = loadReferentialText('referential: [unclosed\n', 'broken.yaml');
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ file: 'broken.yaml', code: 'REFERENTIAL.YAML' });
  });

  it('reports a syntax error once, at its line and column, not the cascade that follows it', () => {
    const shipped = readFileSync(join(REFERENTIALS_DIR, 'data-ia-quatre-blocs@1.yaml'), 'utf8').split('\n');
    shipped[20] = `${shipped[20]} : : [`;
    const result = loadReferentialText(shipped.join('\n'), 'broken.yaml');
    expect(result.problems).toEqual([
      {
        file: 'broken.yaml',
        path: expect.stringMatching(/^line 21, column \d+$/),
        code: 'REFERENTIAL.YAML',
        message: expect.any(String),
        line: 21,
        column: expect.any(Number),
      },
    ]);
  });

  it('puts each schema and content problem on the line of the node its path names', () => {
    const shipped = readFileSync(join(REFERENTIALS_DIR, 'data-ia-quatre-blocs@1.yaml'), 'utf8');
    const lines = shipped.split('\n');
    const c2 = lines.findIndex((l) => /^\s+- code: C2$/.test(l));
    const result = loadReferentialText(
      shipped.replace(/^(\s+- code:) C2$/m, '$1 C1').replace(/^certification:$/m, 'certification:\n  colour: blue'),
      'broken.yaml',
    );
    expect(result.ok).toBe(false);
    // The unknown field is reported on its parent's line; the duplicate code on its own competency's line.
    expect(result.problems.find((p) => p.code === 'REFERENTIAL.SCHEMA' && p.path === '/certification')).toMatchObject({
      line: lines.findIndex((l) => l === 'certification:') + 2,
    });
    const duplicate = result.problems.find((p) => p.code !== 'REFERENTIAL.SCHEMA');
    expect(duplicate?.line).toBe(c2 + 2);
  });

  it('reports every schema problem with its path, not only the first', () => {
    const result = loadReferentialText(
      stringify({
        referential: 'Bad Id',
        version: '1',
        certification: { title: 't', level: 12, certifier: 'c' },
        validationPolicy: { blocValidation: 'vote', competencyAcquisition: 'all-criteria-met' },
        blocs: [],
        colour: 'blue',
      }),
      'bad.yaml',
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.path} ${p.code}`)).toEqual(
      expect.arrayContaining([
        '/ REFERENTIAL.SCHEMA',
        '/referential REFERENTIAL.SCHEMA',
        '/certification/level REFERENTIAL.SCHEMA',
        '/validationPolicy/blocValidation REFERENTIAL.SCHEMA',
        '/blocs REFERENTIAL.SCHEMA',
      ]),
    );
    expect(result.problems.find((p) => p.path === '/')?.message).toContain('colour');
  });

  it('reports content problems with file, path and code', () => {
    const text = readFileSync(seed001, 'utf8').replace('covers: [C19, C20, C22, C23, C24]', 'covers: [C19, C20, C22, C23, C24, C99]');
    expect(text).toContain('C99');
    const result = loadReferentialText(text, 'edited.yaml');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'edited.yaml',
        code: 'REFERENTIAL.UNKNOWN_COMPETENCY',
        path: expect.stringMatching(/^\/blocs\/3\/epreuves\/0\/covers\/5$/),
      }),
    ]);
  });

  it('lists schema and content problems together when a file has both', () => {
    const text = readFileSync(seed001, 'utf8')
      .replace('covers: [C19, C20, C22, C23, C24]', 'covers: [C19, C20, C22, C23, C24, C99]')
      .replace(/^(\s*)level: \d+/m, '$1level: 42');
    const result = loadReferentialText(text, 'both.yaml');
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.path} ${p.code}`)).toEqual(
      expect.arrayContaining(['/certification/level REFERENTIAL.SCHEMA', '/blocs/3/epreuves/0/covers/5 REFERENTIAL.UNKNOWN_COMPETENCY']),
    );
  });

  it('a file too broken for the content rules still lists its schema problems', () => {
    const result = loadReferentialText(
      stringify({
        referential: 'x',
        version: '1',
        certification: { title: 't', level: 6, certifier: 'c' },
        validationPolicy: { blocValidation: 'jury', competencyAcquisition: 'all-criteria-met' },
        blocs: [{ code: 'BC01' }],
      }),
      'broken.yaml',
    );
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((p) => p.code === 'REFERENTIAL.SCHEMA')).toBe(true);
  });

  it('refuses, as a YAML problem, aliases that would expand without bound and nesting beyond reason', () => {
    // Each level repeats the previous one 9 times: 9^8 nodes once expanded ("billion laughs").
    const levels = [
      'a: &l0 [x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 7 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`),
    ];
    const bomb = loadReferentialText(levels.join('\n'), 'bomb.yaml');
    expect(bomb).toMatchObject({ ok: false, problems: [{ file: 'bomb.yaml', code: 'REFERENTIAL.YAML', message: expect.stringContaining('alias') }] });
    const deep = loadReferentialText(`referential: ${'['.repeat(5000)}${']'.repeat(5000)}`, 'deep.yaml');
    expect(deep.ok).toBe(false);
    expect(deep.problems.length).toBeGreaterThan(0);
    expect(deep.problems.every((p) => p.code === 'REFERENTIAL.YAML')).toBe(true);
  });

  describe('what a file assumes (certification.assumed)', () => {
    const shipped = readFileSync(join(REFERENTIALS_DIR, 'data-ia-quatre-blocs@1.yaml'), 'utf8');
    const assumedLevel = (block: string) => shipped.replace(/^ {2}level: 6$/m, block);

    it('loads a level the file assumes apart from the identity it states', () => {
      const result = loadReferentialText(assumedLevel('  assumed:\n    level: 6'), 'assumed.yaml');
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.referential.certification).toEqual({
        title: 'Certification Data / IA en 4 blocs (titre non nommé dans le référentiel)',
        certifier: 'Certificateur non nommé dans le référentiel',
        assumed: { level: 6 },
      });
      // Another content than the version as published: a new version, with its own hash.
      const published = loadReferentialFile(join(REFERENTIALS_DIR, 'data-ia-quatre-blocs@1.yaml'));
      expect(published.ok && published.contentHash).toMatch(/^sha256:/);
      expect(result.contentHash).not.toBe(published.ok && published.contentHash);
    });

    it('refuses a statement both stated and assumed, on the line of the assumed one', () => {
      const text = assumedLevel('  level: 6\n  assumed:\n    level: 6');
      const line = text.split('\n').findIndex((l) => l === '    level: 6') + 1;
      const result = loadReferentialText(text, 'both.yaml');
      expect(result.problems).toEqual([expect.objectContaining({ path: '/certification/assumed/level', code: 'REFERENTIAL.ASSUMED_AND_STATED', line })]);
    });

    it('refuses, by the schema, assuming the title or the kind, an empty list of assumptions, and a value out of range', () => {
      for (const block of ['  assumed:\n    title: Data / IA', '  assumed:\n    kind: cqp', '  assumed: {}', '  assumed:\n    level: 12']) {
        const result = loadReferentialText(assumedLevel(block), 'bad.yaml');
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => `${p.path.replace(/\/level$/, '')} ${p.code}`)).toContain('/certification/assumed REFERENTIAL.SCHEMA');
      }
    });
  });

  it('hashes the canonical content: key order and formatting do not change it, content does', () => {
    const loaded = loadReferentialFile(seed001);
    if (!loaded.ok) throw new Error('seed 001 should load');
    expect(contentHash({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(contentHash({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(contentHash(loaded.referential)).toBe(loaded.contentHash);
    expect(contentHash({ ...loaded.referential, version: '2' })).not.toBe(loaded.contentHash);
  });
});
