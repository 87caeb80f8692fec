// Each command loads the modules it uses when it runs (`token` needs the configuration and a JWT:
// not Nest, the database or the read models), so a quick command answers at once; the libraries
// imported here are the light ones, or for their types only.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { AppConfig, isIssuerSlug, loadConfig, resolveJwtSecret, resolveMasterKeys } from '@jalon/config';
import { Role, ROLES } from '@jalon/domain';
import type { SqlDb } from '@jalon/event-store';
import type { IssuerKeyRing } from '@jalon/issuance';
import { formatDuration, renderProgress } from './progress-bar';

const USAGE = `usage: npm run cli -- <command>

  token --role ROLE [--subject ID] [--org ORG] [--expires 8h]
                                a bearer token for local use (roles: admin, assessor, jury,
                                referent, auditor, candidate, dpo), signed with the service's secret
  projections status            each projection: status, position, events applied, error
  projections rebuild [name]    replay the whole log into fresh tables, then swap them in
                                (all projections when no name is given); the service keeps
                                answering from the old tables meanwhile
  keys rotate                   rewrap every candidate's data key and reseal every issuer signing
                                key with the first of MASTER_KEYS (no event is rewritten); then the
                                older master keys can be removed
  issuer keys rotate [--issuer SLUG]
                                new signing keys for the issuer (default ISSUER_SLUG; or a
                                certifier of CERTIFIERS issuing as itself), RS256 and ES256, sign
                                from now on; the old ones stay published, so what they signed
                                verifies
  issuer keys list [--issuer SLUG]
                                the issuer's keys: kid, algorithm, created, retired
  documents reissue --reason TEXT [--number NUMBER]
                                render every issued document again (or one), under the same number:
                                where its bytes change, its next version is stored and recorded
                                (DocumentReissued) and verified from then on; revoked ones are left
  accrochage export --certifier ID --out FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--redeclare]
                                declare the certifier's holders not declared yet (awards of the
                                period, Paris dates) to the Caisse des Dépôts: the flux is recorded
                                (AccrochageDeclared) and written to FILE; --redeclare sends the
                                declared ones again under the same id; holders with a missing
                                field, annulled or erased are listed, not declared
  accrochage flux --certifier ID --flux FLUX_ID --out FILE
                                write a recorded flux again (same id, timestamp and holders)
  import cohort FILE --org ORG [--dry-run] [--url URL]
                                import a cohort spreadsheet (CSV or XLSX, the template's headers)
                                through the running service (JALON_URL, default localhost:PORT), as
                                an admin of ORG; --dry-run checks every row and writes nothing`;

async function projections(args: string[]): Promise<number> {
  const [action, name] = args;
  if (action !== 'status' && action !== 'rebuild') {
    console.error(USAGE);
    return 2;
  }
  const { comparePositions, formatPosition, openStorage, parsePosition } = await import('@jalon/event-store');
  const { createDeliveryProcess, createIssuanceProcess, createStatusListProjection } = await import('@jalon/issuance');
  const { ProjectionRunner } = await import('@jalon/projections');
  const { createAllProjections } = await import('@jalon/read-models');
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    if (action === 'status') {
      // Every projection the service runs, as /health lists them; the issuance process's jobs are never enqueued from here.
      const everyProjection = [
        ...createAllProjections(),
        createIssuanceProcess(() => Promise.reject(new Error('the cli enqueues no issuance job'))),
        createStatusListProjection(),
        createDeliveryProcess(() => Promise.reject(new Error('the cli enqueues no delivery job'))),
      ];
      const runner = new ProjectionRunner(storage.sql.db, storage.store, everyProjection, { pollIntervalMs: config.pollIntervalMs });
      const head = await storage.store.headPosition();
      const known = new Map((await runner.statuses()).map((s) => [s.name, s]));
      for (const projection of everyProjection) {
        const s = known.get(projection.name);
        if (!s) {
          console.log(`${projection.name}  not started yet (no checkpoint: the service has not run it)`);
          continue;
        }
        // The checkpoint says how far it got, not whether a process runs it now: say where it stands against the log.
        const standing =
          s.status === 'failed'
            ? `FAILED  error: ${s.error} (event ${s.failedEventId})`
            : comparePositions(parsePosition(s.position)!, head) >= 0
              ? 'caught up with the log'
              : `behind the log (head ${formatPosition(head)})`;
        console.log(`${s.name}  ${standing}  position ${s.position}  ${s.eventsApplied} events applied  last written ${s.updatedAt}`);
      }
      return 0;
    }
    // The issuance and delivery processes are not rebuilt (replaying them would enqueue every document and e-mail again); the status list's bits are a pure read of the log.
    const runner = new ProjectionRunner(storage.sql.db, storage.store, [...createAllProjections(), createStatusListProjection()], {
      pollIntervalMs: config.pollIntervalMs,
    });
    await runner.prepare();
    const names = name ? [name] : runner.projections.map((p) => p.name);
    for (const projection of names) {
      process.stderr.write(`rebuilding ${projection}\n`);
      const { events, seconds } = await runner.rebuild(projection, (progress) => process.stderr.write(`\r${renderProgress(progress)}`));
      process.stderr.write(`\r${renderProgress({ done: events, eventsPerSecond: seconds > 0 ? events / seconds : 0, fraction: 1, etaSeconds: 0 })}\n`);
      console.log(`${projection}: ${events} events replayed in ${formatDuration(seconds)}, swapped in`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}

async function keys(args: string[]): Promise<number> {
  if (args[0] !== 'rotate') {
    console.error(USAGE);
    return 2;
  }
  const { openStorage } = await import('@jalon/event-store');
  const { DataKeys } = await import('@jalon/privacy');
  const config = loadConfig();
  const masterKeys = resolveMasterKeys(config);
  const storage = await openStorage(config);
  try {
    const rewrapped = await new DataKeys(storage.sql.db, masterKeys).rotate();
    console.log(`${rewrapped} candidate key(s) rewrapped with master key "${masterKeys[0].id}"`);
    const ring = await issuerKeyRing(config, storage.sql.db);
    const resealed = await ring.reseal();
    console.log(`${resealed} issuer signing key(s) resealed with master key "${masterKeys[0].id}"`);
    return 0;
  } finally {
    await storage.close();
  }
}

async function issuerKeyRing(config: AppConfig, db: SqlDb): Promise<IssuerKeyRing> {
  const { configuredIssuers, IssuerKeyRing } = await import('@jalon/issuance');
  // Every issuer of this instance: the default one (ISSUER_SLUG) and each certifier issuing as itself (CERTIFIERS).
  const issuers = configuredIssuers(config).all.map((issuer) => issuer.identity);
  return new IssuerKeyRing(db, resolveMasterKeys(config), { publicBaseUrl: config.publicBaseUrl, issuers });
}

async function issuer(args: string[]): Promise<number> {
  const [what, action, ...rest] = args;
  if (what !== 'keys' || (action !== 'rotate' && action !== 'list')) {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { issuer: { type: 'string' } } });
  const config = loadConfig();
  const slug = values.issuer ?? config.issuerSlug;
  if (!isIssuerSlug(slug)) {
    console.error('--issuer is an issuer slug: lower-case letters and digits, with single hyphens between them');
    return 2;
  }
  const slugs = [config.issuerSlug, ...config.certifiers.filter((certifier) => certifier.issuer).map((certifier) => certifier.id)];
  if (!slugs.includes(slug)) {
    console.error(
      slugs.length === 1
        ? `this service issues as "${config.issuerSlug}" (ISSUER_SLUG) only, not "${slug}"`
        : `this service issues as ${slugs.map((s) => `"${s}"`).join(', ')} (ISSUER_SLUG, and the certifiers of CERTIFIERS that give their legalName), not "${slug}"`,
    );
    return 2;
  }
  const { openStorage } = await import('@jalon/event-store');
  const storage = await openStorage(config);
  try {
    const ring = await issuerKeyRing(config, storage.sql.db);
    if (action === 'list') {
      for (const key of await ring.keys(slug))
        console.log(`${key.jwk.kid}  ${key.jwk.alg}  created ${key.createdAt}  ${key.retiredAt ? `retired ${key.retiredAt}` : 'current'}`);
      return 0;
    }
    const { current, currentEs256, retired } = await ring.rotate(slug);
    console.log(
      `issuer "${slug}" signs with ${current.jwk.kid} (${current.jwk.alg}) from now on, and with ${currentEs256.jwk.kid} (${currentEs256.jwk.alg}) what is asked as ES256; ${retired.length} retired key(s) stay published`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}

async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, subject: { type: 'string' }, org: { type: 'string' }, expires: { type: 'string' } },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role) || role === 'system') {
    console.error(`--role is one of ${ROLES.filter((r) => r !== 'system').join(', ')}`);
    return 2;
  }
  const secret = resolveJwtSecret(loadConfig());
  // jose rather than Nest's JwtService (jsonwebtoken): the same HS256 token, without loading Nest.
  const { SignJWT } = await import('jose');
  const jwt = await new SignJWT({ role, org: values.org ?? 'org-1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(values.subject ?? `${role}-1`)
    .setIssuedAt()
    .setExpirationTime(values.expires ?? '8h')
    .sign(new TextEncoder().encode(secret));
  console.log(jwt);
  return 0;
}

async function documents(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { reason: { type: 'string' }, number: { type: 'string' } } });
  const reason = values.reason?.trim();
  if (action !== 'reissue' || !reason) {
    console.error(action === 'reissue' ? 'documents reissue needs --reason: it is recorded with each new version' : USAGE);
    return 2;
  }
  const { NestFactory } = await import('@nestjs/core');
  const { openStorage } = await import('@jalon/event-store');
  const { Issuance } = await import('@jalon/issuance');
  const { IssuanceModule } = await import('@jalon/runtime');
  const { CommandContext } = await import('./command-context');
  const config = loadConfig();
  const storage = await openStorage(config);
  // The service's own wiring of the documents' issuance (keys, status lists, référentiels, vault), without its projections or jobs.
  const app = await NestFactory.createApplicationContext(CommandContext.using(config, storage, [IssuanceModule]), { logger: ['error'] });
  try {
    const issuance = app.get(Issuance);
    const counts = new Map<string, number>();
    for await (const { enrollmentId, number } of issuance.issuedDocuments()) {
      if (values.number && number !== values.number) continue;
      const outcome = await issuance.reissue(enrollmentId, number, reason);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      if (outcome === 'reissued') console.log(`${number} reissued`);
    }
    if (values.number && counts.size === 0) {
      console.error(`no document ${values.number} was issued`);
      return 1;
    }
    const said = ['reissued', 'unchanged', 'revoked', 'holder-erased', 'unknown'].map((outcome) => `${counts.get(outcome) ?? 0} ${outcome}`);
    console.log(`documents: ${said.join(', ')}`);
    return 0;
  } finally {
    await app.close();
    await storage.close();
  }
}

async function accrochage(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      certifier: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      redeclare: { type: 'boolean' },
      flux: { type: 'string' },
    },
  });
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const problems = [
    ...(action !== 'export' && action !== 'flux' ? [USAGE] : []),
    ...(!values.certifier ? ['--certifier names the certifier (its id in ACCROCHAGE_CERTIFIERS)'] : []),
    ...(!values.out ? ['--out names the file the flux is written to'] : []),
    ...(action === 'flux' && !values.flux ? ['--flux names the recorded flux'] : []),
    ...[values.from, values.to].filter((d) => d !== undefined && !date.test(d)).map((d) => `--from and --to are dates YYYY-MM-DD, not ${d}`),
  ];
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    return 2;
  }
  const config = loadConfig();
  const certifier = config.accrochageCertifiers.find((c) => c.id === values.certifier);
  if (!certifier) {
    const known = config.accrochageCertifiers.map((c) => c.id);
    console.error(`no certifier "${values.certifier}" in ACCROCHAGE_CERTIFIERS${known.length ? ` (known: ${known.join(', ')})` : ' (none is configured)'}`);
    return 2;
  }
  const { NestFactory } = await import('@nestjs/core');
  const { openStorage } = await import('@jalon/event-store');
  const { AccrochageDeclarations } = await import('@jalon/accrochage');
  const { AccrochageDeclarationsModule } = await import('@jalon/runtime');
  const { CommandContext } = await import('./command-context');
  const storage = await openStorage(config);
  const app = await NestFactory.createApplicationContext(CommandContext.using(config, storage, [AccrochageDeclarationsModule]), { logger: ['error'] });
  // The operator acts as an admin of the certifier's organisation; the flux records who ran it.
  const actor = { id: `cli:${userInfo().username}`, role: 'admin', organisationId: certifier.organisationId };
  try {
    const declarations = app.get(AccrochageDeclarations);
    if (action === 'flux') {
      const { holders, left } = await declarations.writeFlux(certifier.id, values.flux!, values.out!, actor);
      console.log(
        `flux ${values.flux} written to ${values.out}: ${holders} holder(s)${left.length ? `; ${left.length} could not be written again (erased or changed since)` : ''}`,
      );
      return 0;
    }
    const started = Date.now();
    const report = await declarations.declare({
      certifierId: certifier.id,
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      redeclare: values.redeclare ?? false,
      actor,
      out: values.out!,
      onProgress: (done, total) => {
        const seconds = (Date.now() - started) / 1000;
        const rate = seconds > 0 ? done / seconds : 0;
        const progress = { done, eventsPerSecond: rate, fraction: total > 0 ? done / total : 1, etaSeconds: rate > 0 ? (total - done) / rate : undefined };
        process.stderr.write(`\r${renderProgress(progress, { plural: 'holders', rate: 'holders/s' })}`);
      },
    });
    process.stderr.write('\n');
    for (const r of report.refused) console.log(`refused  ${r.enrollmentId}  ${r.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
    for (const r of report.toCorrect) console.log(`to correct with the CDC (annulled after its declaration)  ${r.enrollmentId}  ${r.idTechnique}`);
    for (const r of report.erased) console.log(`erased (cannot be declared)  ${r.enrollmentId}`);
    for (const r of report.annulled) console.log(`annulled before any declaration  ${r.enrollmentId}`);
    console.log(
      report.fluxId
        ? `flux ${report.fluxId} recorded and written to ${values.out}: ${report.declared.length} holder(s) declared, ${report.alreadyDeclared} already declared, ${report.refused.length} refused`
        : `nothing to declare: ${report.alreadyDeclared} already declared, ${report.refused.length} refused; no flux recorded, no file written`,
    );
    return 0;
  } finally {
    await app.close();
    await storage.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Before any decorated class of the libraries is loaded, so that their metadata is kept (Nest's injection reads it).
  if (command !== 'token') await import('reflect-metadata');
  switch (command) {
    case 'token':
      return token(rest);
    case 'projections':
      return projections(rest);
    case 'keys':
      return keys(rest);
    case 'issuer':
      return issuer(rest);
    case 'documents':
      return documents(rest);
    case 'accrochage':
      return accrochage(rest);
    case 'import':
      return (await import('./import-cohort')).importCohort(rest);
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // One line, the message (a ConfigError or StorageUnavailableError says what to change), never a stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
