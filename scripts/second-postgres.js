// A PostgreSQL server of the test run's own, beside the machine's, for Jest's second worker.
//
// Why a server and not a database: the event log is read only up to the oldest transaction still
// running on the server (DESIGN.md decision 3; transaction ids are the cluster's, not a
// database's), so two suites on one server hold back each other's reads and catch-ups, which
// their assertions do not wait for. On a server each, two suites run at once without meeting:
// the run takes about two thirds of the time it takes one suite at a time.
//
// Made with the machine's own PostgreSQL binaries (initdb, pg_ctl) in a temporary directory, on a
// free port, with the machine server's encoding and locale; removed at the end of the run. Where
// the binaries are missing or it cannot start, the run goes on with one worker on the machine's
// server, as before.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The directory of initdb and pg_ctl: pg_config's, or the newest of Debian's /usr/lib/postgresql/N/bin. */
function binaries() {
  const configured = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = configured.status === 0 ? [configured.stdout.trim()] : [];
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

/** A port free on 127.0.0.1 now (asked of a child process: this script runs synchronously). */
function freePort() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"],
    { encoding: 'utf8' },
  );
  return Number(probe.stdout.trim());
}

/**
 * Starts the server; resolves to `{ url, stop() }` (the admin URL tests create their databases
 * through), or undefined with the reason logged when it cannot.
 */
function startSecondPostgres(log = console.log) {
  const bindir = binaries();
  if (!bindir) {
    log('second PostgreSQL server: no initdb/pg_ctl on this machine; one Jest worker');
    return undefined;
  }
  // initdb refuses to run as root: as root, the server runs as the machine's postgres user.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let owner;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0 || gid.status !== 0) {
      log('second PostgreSQL server: running as root with no postgres user; one Jest worker');
      return undefined;
    }
    owner = { uid: Number(id.stdout), gid: Number(gid.stdout) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalon-pg-'));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const run = (tool, args) => {
    const command = asRoot ? 'runuser' : path.join(bindir, tool);
    const full = asRoot ? ['-u', 'postgres', '--', path.join(bindir, tool), ...args] : args;
    return spawnSync(command, full, { encoding: 'utf8', cwd: dir });
  };
  const port = freePort();
  const started = performance.now();
  const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const start =
    init.status === 0 &&
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  if (!start || start.status !== 0) {
    log(`second PostgreSQL server: could not start (${((start || init).stderr || '').trim().split('\n').pop()}); one Jest worker`);
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  log(`second PostgreSQL server on 127.0.0.1:${port}, started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startSecondPostgres };
