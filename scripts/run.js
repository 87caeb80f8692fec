#!/usr/bin/env node
// Runs one of the server's processes from compiled JavaScript: `node scripts/run.js api|cli|worker
// [args…]` compiles what changed (scripts/compile.js: SWC into dist/node, nothing when nothing
// changed), then loads dist/node/apps/<app>/src/main.js in this same process, with its arguments.
// The api builds the web console first when its sources changed (scripts/build-web.js).
'use strict';
const path = require('node:path');

const APPS = ['api', 'cli', 'worker'];
const [app, ...args] = process.argv.slice(2);
if (!APPS.includes(app)) {
  process.stderr.write(`usage: node scripts/run.js ${APPS.join('|')} [args…]\n`);
  process.exit(2);
}
if (app === 'api') require('./build-web').buildWeb();
const { compile, CompileError, OUT } = require('./compile');
try {
  compile();
} catch (error) {
  if (!(error instanceof CompileError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
// The services' stack traces name the TypeScript lines (the compiled files carry their source maps);
// the cli prints messages only, and spares the time of reading the maps.
if (app !== 'cli') process.setSourceMapsEnabled(true);
const main = path.join(OUT, 'apps', app, 'src', 'main.js');
process.argv = [process.argv[0], main, ...args];
require(main);
