// Preloaded (`node -r ./bench/cpu-profile.js`) into the api and the worker when the bench runs with
// --cpu-prof DIR: profiles the process from start and writes DIR/<name>-<pid>.cpuprofile on
// each SIGWINCH (a signal Nest's shutdown hooks leave alone: they take SIGUSR2) (Chrome DevTools format, as `node --cpu-prof` writes), numbered: the bench signals
// once before what it measures (the set-up's profile) and once after. A signal rather than exit,
// because the processes are stopped by SIGTERM and Nest re-raises it, which `--cpu-prof` misses.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.CPU_PROFILE_DIR;
const name = process.env.CPU_PROFILE_NAME || 'process';
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
  let written = 0;
  process.on('SIGWINCH', () => {
    session.post('Profiler.stop', (error, result) => {
      written += 1;
      if (!error) writeFileSync(join(dir, `${name}-${written}.cpuprofile`), JSON.stringify(result.profile));
      // Profile the next stretch too: the bench may ask again.
      session.post('Profiler.start');
    });
  });
}
