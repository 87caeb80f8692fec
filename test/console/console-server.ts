// The apis the console's browser tests drive, as `npm start` serves them (console included), each
// on a PostgreSQL database of its own, created here and dropped on SIGTERM:
// - on CONSOLE_TEST_PORT, with the development sign-in on and one accrochage certifier
//   (accrochage-certifier.ts);
// - on CONSOLE_TEST_OIDC_PORT, behind a real OpenID Connect provider started here (its people:
//   provider-accounts.ts), with the development sign-in off.
import 'reflect-metadata';
import { startIdentityProvider } from '../support/identity-provider';
import { ACCROCHAGE_TEST_CERTIFIER } from './accrochage-certifier';
import { startConsoleApi } from './console-api';
import { OIDC_TEST_ACCOUNT_PATTERNS, OIDC_TEST_ACCOUNTS } from './provider-accounts';

export const OIDC_TEST_AUDIENCE = 'urn:jalon:console-tests';

async function startApi(port: string, env: Record<string, string>): Promise<() => Promise<void>> {
  return (await startConsoleApi(port, 'jalon_console', env)).stop;
}

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(stops.map((stopOne) => stopOne().catch(() => undefined)));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  const oidcPort = process.env.CONSOLE_TEST_OIDC_PORT;
  if (oidcPort) {
    const provider = await startIdentityProvider({
      audience: OIDC_TEST_AUDIENCE,
      accounts: OIDC_TEST_ACCOUNTS,
      accountPatterns: OIDC_TEST_ACCOUNT_PATTERNS,
      consoleClient: { clientId: 'jalon-console', origin: `http://127.0.0.1:${oidcPort}` },
    });
    stops.push(() => provider.stop());
    stops.push(
      await startApi(oidcPort, {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: 'jalon-console',
        OIDC_AUDIENCE: OIDC_TEST_AUDIENCE,
        OIDC_SCOPES: 'openid jalon',
      }),
    );
  }
  // Last: the test runner waits for this one's /health, so everything is up when it answers.
  stops.push(
    await startApi(process.env.CONSOLE_TEST_PORT ?? '43900', { DEV_SIGN_IN: 'true', ACCROCHAGE_CERTIFIERS: JSON.stringify([ACCROCHAGE_TEST_CERTIFIER]) }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
