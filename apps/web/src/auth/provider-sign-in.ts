import * as oauth from 'oauth4webapi';
import type { components } from '../api/schema';

/** What the api says of the school's identity provider (GET /auth/sign-in). */
export type ProviderSignIn = components['schemas']['ProviderSignIn'];

/** What the sign-in keeps between leaving for the provider and coming back (this tab only). */
interface PendingSignIn {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  /** The console's page the person was going to. */
  readonly from: string;
}

const PENDING_KEY = 'jalon.sign-in';
const RETURN_PATH = '/connexion/retour';

/** The provider as oauth4webapi takes it: the endpoints the api read from its discovery document. */
function serverOf(provider: ProviderSignIn): oauth.AuthorizationServer {
  return {
    issuer: provider.issuer,
    authorization_endpoint: provider.authorizationEndpoint,
    token_endpoint: provider.tokenEndpoint,
    end_session_endpoint: provider.endSessionEndpoint,
  };
}

/** Plain http only where the api accepts it (never in production: OIDC_ISSUER must be https there). */
function requestOptions(provider: ProviderSignIn) {
  return { [oauth.allowInsecureRequests]: provider.issuer.startsWith('http:') };
}

/** Sends the person to the provider: authorization code with PKCE (S256), a state and a nonce of this tab. */
export async function leaveForProvider(provider: ProviderSignIn, from: string): Promise<void> {
  const pending: PendingSignIn = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    from,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const address = new URL(provider.authorizationEndpoint);
  address.search = new URLSearchParams({
    client_id: provider.clientId,
    redirect_uri: `${window.location.origin}${RETURN_PATH}`,
    response_type: 'code',
    scope: provider.scopes,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  window.location.assign(address.toString());
}

/** What the provider handed back for the person, once the code is exchanged. */
export interface ProviderTokens {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly signOutUrl?: string;
  readonly from: string;
}

/** Back from the provider: checks the state, exchanges the code (with the PKCE verifier) and checks the ID token's nonce. */
export async function completeProviderSignIn(provider: ProviderSignIn, returnedTo: URL): Promise<ProviderTokens> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) throw new Error('no sign-in was started in this tab');
  const pending = JSON.parse(raw) as PendingSignIn;
  const server = serverOf(provider);
  const client: oauth.Client = { client_id: provider.clientId };
  const parameters = oauth.validateAuthResponse(server, client, returnedTo, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    parameters,
    `${window.location.origin}${RETURN_PATH}`,
    pending.codeVerifier,
    requestOptions(provider),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return { accessToken: tokens.access_token, expiresIn: tokens.expires_in ?? 300, signOutUrl: signOutUrl(provider, tokens.id_token), from: pending.from };
}

/** Where signing out of the console also ends the provider's session (RP-initiated logout), then comes back to the sign-in page. */
function signOutUrl(provider: ProviderSignIn, idToken: string | undefined): string | undefined {
  if (!provider.endSessionEndpoint) return undefined;
  const address = new URL(provider.endSessionEndpoint);
  address.search = new URLSearchParams({
    client_id: provider.clientId,
    post_logout_redirect_uri: `${window.location.origin}/connexion`,
    ...(idToken ? { id_token_hint: idToken } : {}),
  }).toString();
  return address.toString();
}
