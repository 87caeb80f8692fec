import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The configuration test/support/oidc-provider.mjs reads (see there). */
export interface IdentityProviderSettings {
  readonly audience: string;
  readonly accessTokenTtl?: number;
  readonly roleClaim?: string;
  readonly organisationClaim?: string;
  readonly accounts?: Record<string, { role?: string | string[]; org?: string }>;
  /** `login` a regular expression a whole login matches. */
  readonly accountPatterns?: { login: string; role?: string | string[]; org?: string }[];
  readonly consoleClient?: { clientId: string; origin: string };
  readonly machineClients?: Record<string, { secret: string; role?: string | string[]; org?: string; alg: 'RS256' | 'ES256'; ttl?: number; audience?: string }>;
  /** Where it listens; a free port when left out. */
  readonly port?: number;
}

export interface RunningIdentityProvider {
  readonly issuer: string;
  /** An access token of a machine client, from the provider's token endpoint (client credentials). */
  tokenFor(clientId: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real OpenID Connect provider in a child process, listening once this resolves. */
export async function startIdentityProvider(settings: IdentityProviderSettings): Promise<RunningIdentityProvider> {
  const port = settings.port ?? (await freePort());
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: { ...process.env, NODE_OPTIONS: '', OIDC_TEST_CONFIG: JSON.stringify({ ...settings, port }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(out);
      if (ready) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`the identity provider stopped (${code}): ${errors}`)));
  });
  return {
    issuer,
    async tokenFor(clientId) {
      const client = settings.machineClients?.[clientId];
      if (!client) throw new Error(`no machine client ${clientId}`);
      const answer = await fetch(`${issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: client.secret, scope: 'jalon' }),
      });
      const body = (await answer.json()) as { access_token?: string };
      if (!answer.ok || !body.access_token) throw new Error(`the provider refused a token to ${clientId}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
