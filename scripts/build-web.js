#!/usr/bin/env node
// Builds the web console into dist/web when its sources changed since the last build (a hash of
// apps/web and the lock file is kept beside the build): `npm start` and the browser tests call it,
// so a fresh clone serves the console after `npm ci` with nothing else to run.
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const sources = path.join(root, 'apps/web');
const out = path.join(root, 'dist/web');
const stamp = path.join(out, '.source-hash');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Builds dist/web when apps/web or the lock file changed since the last build; says so on stderr. */
function buildWeb() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(sources).sort(), path.join(root, 'package-lock.json')])
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file));
  const digest = hash.digest('hex');

  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(path.join(out, 'index.html'))) return;
  const started = Date.now();
  process.stderr.write('building the web console (dist/web)…\n');
  const build = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', path.join(sources, 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stderr.write('the web console did not build\n');
    process.exit(build.status ?? 1);
  }
  fs.writeFileSync(stamp, digest);
  process.stderr.write(`built the web console in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

module.exports = { buildWeb };

if (require.main === module) buildWeb();
