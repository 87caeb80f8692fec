#!/usr/bin/env node
// Compiles the server's TypeScript (apps/api, apps/cli, apps/worker and libs, specs left out) into
// dist/node with SWC, only the files whose content changed since the last compile (their hashes are
// kept in dist/node/.manifest.json): `npm start`, `npm run cli` and `npm run worker` run that
// JavaScript (scripts/run.js), so none of them transpiles TypeScript on the fly. SWC strips the
// types without checking them (`npm run typecheck` and `npm test` do); it emits the decorator
// metadata Nest's injection reads (legacy decorators, as tsconfig's experimentalDecorators and
// emitDecoratorMetadata), and rewrites the @jalon/* aliases of tsconfig.json into relative paths,
// so the compiled tree needs no path resolver at run time.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'dist/node');
const MANIFEST = path.join(OUT, '.manifest.json');
const SOURCE_ROOTS = ['apps/api/src', 'apps/cli/src', 'apps/worker/src', 'libs'];
const NOT_COMPILED = /(\.d\.ts|\.spec\.ts|\.int-spec\.ts|\.e2e-spec\.ts)$/;

function sourcesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return entry.name.endsWith('.ts') && !NOT_COMPILED.test(entry.name) ? [full] : [];
  });
}

/** SWC's options, from tsconfig.json's target and aliases; a compiled file depends on them and on SWC's version besides its source. */
function swcOptions() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: tsconfig.target.toLowerCase(),
      keepClassNames: true,
      externalHelpers: false,
      baseUrl: root,
      paths: tsconfig.paths,
    },
    module: { type: 'commonjs', strict: false, noInterop: false },
    sourceMaps: true,
    swcrc: false,
    configFile: false,
  };
}

/** Another process starting meanwhile (the cli beside `npm start`) reads the old file or the new one, never half of one. */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

class CompileError extends Error {}

const outputOf = (relative) => path.join(OUT, relative.replace(/\.ts$/, '.js'));

/**
 * Brings dist/node up to date with the sources; compiles nothing when nothing changed. Says what it
 * does on stderr (`log`), never on stdout: the cli's output is piped (`TOKEN=$(npm run -s cli -- token)`).
 */
function compile({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const started = process.hrtime.bigint();
  const files = SOURCE_ROOTS.flatMap((dir) => sourcesUnder(path.join(root, dir)));
  let manifest = { options: '', files: {} };
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    // No manifest (a fresh clone, or dist removed): everything is compiled.
  }
  const swcVersion = require('@swc/core/package.json').version;
  const optionsHash = createHash('sha256').update(JSON.stringify(swcOptions())).update(swcVersion).digest('hex');
  const sameOptions = manifest.options === optionsHash;
  const hashes = {};
  const changed = [];
  for (const file of files) {
    const relative = path.relative(root, file);
    const source = fs.readFileSync(file);
    hashes[relative] = createHash('sha1').update(source).digest('hex');
    if (!sameOptions || manifest.files[relative] !== hashes[relative] || !fs.existsSync(outputOf(relative))) changed.push({ file, relative, source });
  }
  const removed = Object.keys(manifest.files).filter((relative) => !(relative in hashes));
  // The catalogue reads the shipped référentiels beside the compiled tree, as in the Dockerfile's dist/referentials.
  const referentials = path.join(OUT, 'referentials');
  if (changed.length === 0 && removed.length === 0 && fs.existsSync(referentials)) return { compiled: 0, seconds: 0 };

  if (changed.length > 0) log(`compiling the server: ${changed.length} of ${files.length} TypeScript files changed (SWC, into dist/node)…`);
  const swc = require('@swc/core');
  const options = swcOptions();
  for (const { file, relative, source } of changed) {
    const out = outputOf(relative);
    let compiled;
    try {
      compiled = swc.transformSync(source.toString('utf8'), { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
    } catch (error) {
      // SWC's message shows the line; nothing is recorded, so the next run compiles the file again.
      const message = (error instanceof Error ? error.message : String(error)).split('\n\nCaused by:')[0];
      throw new CompileError(`${relative} does not compile:\n${message}`);
    }
    const { code, map } = compiled;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    writeAtomically(`${out}.map`, map);
    writeAtomically(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
  }
  for (const relative of removed) {
    fs.rmSync(outputOf(relative), { force: true });
    fs.rmSync(`${outputOf(relative)}.map`, { force: true });
  }
  fs.mkdirSync(OUT, { recursive: true });
  try {
    fs.symlinkSync(path.relative(OUT, path.join(root, 'referentials')), referentials, 'dir');
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  writeAtomically(MANIFEST, JSON.stringify({ options: optionsHash, files: hashes }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (changed.length > 0) log(`compiled in ${seconds.toFixed(1)} s`);
  return { compiled: changed.length, seconds };
}

module.exports = { compile, CompileError, OUT };

if (require.main === module) {
  try {
    compile();
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
