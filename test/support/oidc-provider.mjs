// A real OpenID Connect provider (panva's oidc-provider, certified by the OpenID Foundation) for the
// tests: a school's identity provider as Jalon meets it. It is an ES module, so it runs as a child
// process (test/support/identity-provider.ts starts it); it prints `ready <issuer>` once it listens.
//
// Its configuration comes as JSON in OIDC_TEST_CONFIG:
//   port            where it listens (its issuer is http://127.0.0.1:<port>)
//   audience        the resource (api) its access tokens are for (`aud`)
//   accessTokenTtl  seconds an access token lives
//   accounts        login → { role, org } claims put in the access tokens of that person
//   accountPatterns [{ login, role, org }]: the same for every person whose whole login matches the
//                   regular expression `login` — people the tests only know once the api has named
//                   them (a candidate whose login at the school is their Jalon candidate id)
//   consoleClient   { clientId, origin }: a public client (authorization code + PKCE) for the console
//   machineClients  clientId → { secret, role, org, alg, ttl?, audience? }: confidential clients
//                   (client credentials) whose tokens name that role and organisation, signed with
//                   alg (RS256 or ES256), living ttl seconds, for audience
// People sign in through its development login form (any password), as a tester would.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '{}');
const issuer = `http://127.0.0.1:${settings.port}`;
const roleClaim = settings.roleClaim ?? 'jalon_role';
const organisationClaim = settings.organisationClaim ?? 'jalon_org';
const accounts = settings.accounts ?? {};
const accountPatterns = (settings.accountPatterns ?? []).map(({ login, ...claims }) => ({ login: new RegExp(`^(?:${login})$`), claims }));
const machineClients = settings.machineClients ?? {};

/** One RSA and one P-256 key, new for each run: a token of another run (another issuer) verifies with neither. */
function signingKey(type, alg) {
  const { privateKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

const clients = Object.entries(machineClients).map(([clientId, client]) => ({
  client_id: clientId,
  client_secret: client.secret,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_post',
}));
if (settings.consoleClient) {
  const { clientId, origin } = settings.consoleClient;
  clients.push({
    client_id: clientId,
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${origin}/connexion/retour`],
    post_logout_redirect_uris: [`${origin}/connexion`],
  });
}

/** A person's claims: their own account's, or those of the first pattern their login matches. A person's login is their `sub`. */
const accountOf = (login) => accounts[login] ?? accountPatterns.find((pattern) => pattern.login.test(login))?.claims;

const claimsOf = (token) => {
  if (token.accountId) {
    const account = accountOf(token.accountId);
    return account ? { [roleClaim]: account.role, [organisationClaim]: account.org } : {};
  }
  const client = machineClients[token.clientId];
  return client ? { [roleClaim]: client.role, [organisationClaim]: client.org } : {};
};

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey('rsa', 'RS256'), signingKey('ec', 'ES256')] },
  cookies: { keys: [randomUUID()] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  claims: { openid: ['sub'] },
  scopes: ['openid', 'jalon'],
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Every token is for the api, whether or not the client names it.
      defaultResource: () => settings.audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, _resource, client) => ({
        scope: 'jalon',
        audience: machineClients[client.clientId]?.audience ?? settings.audience,
        accessTokenTTL: machineClients[client.clientId]?.ttl ?? settings.accessTokenTtl ?? 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: machineClients[client.clientId]?.alg ?? 'ES256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => claimsOf(token),
  pkce: { required: () => true },
  clientBasedCORS: (_ctx, origin, client) => client.redirectUris.some((uri) => new URL(uri).origin === origin),
  renderError: (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
});
provider.proxy = false;

provider.listen(settings.port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
// In-memory state only: nothing to save on the way out.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
