// Lint for the whole monorepo, run by `npm test` (scripts/run-tests.js). Formatting is Prettier's
// (eslint-config-prettier turns off the rules it owns); the dependency rules between apps and
// libraries are eslint-plugin-boundaries' (libs/domain/src/boundary.spec.ts keeps its own check).
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Each library and app, and what it may import besides itself: the layering of README's architecture. */
const LAYERS = {
  domain: [],
  config: [],
  catalogue: ['domain'],
  'event-store': ['config', 'domain'],
  privacy: ['config', 'domain', 'event-store'],
  projections: ['catalogue', 'event-store'],
  'read-models': ['catalogue', 'domain', 'event-store', 'projections', 'privacy'],
  issuance: ['catalogue', 'config', 'domain', 'event-store', 'privacy', 'projections'],
  accrochage: ['config', 'domain', 'event-store', 'privacy', 'read-models'],
  runtime: ['accrochage', 'catalogue', 'config', 'domain', 'event-store', 'issuance', 'privacy', 'projections', 'read-models'],
  api: ['accrochage', 'catalogue', 'config', 'domain', 'event-store', 'issuance', 'privacy', 'projections', 'read-models', 'runtime'],
  worker: ['catalogue', 'config', 'domain', 'event-store', 'issuance', 'privacy', 'projections', 'read-models', 'runtime'],
  cli: ['accrochage', 'catalogue', 'config', 'domain', 'event-store', 'issuance', 'privacy', 'projections', 'read-models', 'runtime'],
  // The console talks to the api over HTTP only, through its generated client.
  web: [],
};
const LIBRARIES = ['domain', 'config', 'catalogue', 'event-store', 'privacy', 'projections', 'read-models', 'issuance', 'accrochage', 'runtime'];
const APPS = ['api', 'worker', 'cli', 'web'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'coverage/**', 'apps/web/src/api/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: ['tsconfig.json', 'apps/web/tsconfig.json'], noWarnOnMultipleProjects: true } },
      'boundaries/elements': [
        // Tests, benchmarks and scripts drive everything from outside.
        { type: 'outside', pattern: ['test', 'bench', 'scripts'] },
        ...LIBRARIES.map((name) => ({ type: name, pattern: `libs/${name}` })),
        ...APPS.map((name) => ({ type: name, pattern: `apps/${name}` })),
      ],
      // A spec beside the code it tests may use any library's test helpers.
      'boundaries/files': [{ category: 'test', pattern: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'] }],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...Object.entries(LAYERS).map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
            })),
            { from: { element: { type: 'outside' } }, allow: { to: { element: { types: { anyOf: [...LIBRARIES, ...APPS, 'outside'] } } } } },
            { from: { file: { categories: 'test' } }, allow: { to: { element: { types: { anyOf: LIBRARIES } } } } },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
