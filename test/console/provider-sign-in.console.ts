import { expect, test } from '@playwright/test';
import { CONSOLE_TEST_OIDC_PORT } from '../../playwright.config';
import { checkScreen, signInAtTheProvider } from './console-support';

/**
 * Signing in through the school's identity provider: a real OpenID Connect provider (started by
 * test/console/console-server.ts) in front of an api with no development sign-in. Authorization
 * code with PKCE, the person's role and organisation from the provider's claims, sign-out at the
 * provider too, a lapsed session, and a person the provider gives no Jalon role.
 */
test.use({ baseURL: `http://127.0.0.1:${CONSOLE_TEST_OIDC_PORT}` });

test.beforeEach(async ({ page }) => {
  // The provider's development pages pull a web font; this machine's network is closed.
  await page.route('https://fonts.googleapis.com/**', (route) => route.abort());
});

test('a school admin signs in through the school’s provider, sees their screens, and signing out ends the provider’s session too', async ({ page }) => {
  await page.goto('/inscriptions');
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Connexion de développement')).toHaveCount(0);
  await checkScreen(page, 'sign-in-provider');
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await expect(page).toHaveURL(/\/auth|\/interaction\//);
  await signInAtTheProvider(page, 'claire.martin');

  // Back where the person was going, with the role and organisation the provider's claims give.
  await expect(page).toHaveURL(/\/inscriptions$/);
  await expect(page.getByText('claire.martin · Administration de l’école · lycee-jean-moulin')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Inscriptions' })).toBeVisible();
  await page.getByRole('link', { name: 'Tableau de bord' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByRole('button', { name: 'Se connecter avec le compte de l’école' })).toBeVisible();
  // The provider's session ended: signing in again asks who you are.
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await expect(page.locator('input[name=login]')).toBeVisible();
});

test('when the provider’s token lapses the console says so, and the provider signs the person straight back in', async ({ page }) => {
  await page.clock.install();
  await page.goto('/tableau-de-bord');
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await signInAtTheProvider(page, 'claire.martin');
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();

  // The provider's access tokens live five minutes.
  await page.clock.fastForward('05:01');
  await expect(page).toHaveURL(/\/connexion$/);
  await expect(page.getByText('Votre session a expiré : reconnectez-vous.')).toBeVisible();
  await checkScreen(page, 'sign-in-expired');
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  // Still signed in at the provider: no login form, straight back to the screen the person was on.
  await expect(page).toHaveURL(/\/tableau-de-bord$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
});

test('a person the provider gives no Jalon role is told so, and can sign out there to come back with another account', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await signInAtTheProvider(page, 'paul.sans-role');
  await expect(page).toHaveURL(/\/connexion\/retour/);
  await expect(page.getByRole('alert')).toHaveText(/ne vous donne aucun rôle unique dans Jalon/);
  await checkScreen(page, 'sign-in-no-role');
  await expect(page.getByRole('link', { name: 'Revenir à la page de connexion' })).toBeVisible();
  await page.getByRole('link', { name: 'Se déconnecter du compte de l’école (pour en utiliser un autre)' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await page.getByRole('button', { name: 'Se connecter avec le compte de l’école' }).click();
  await signInAtTheProvider(page, 'claire.martin');
  await expect(page.getByText('claire.martin · Administration de l’école · lycee-jean-moulin')).toBeVisible();
});
