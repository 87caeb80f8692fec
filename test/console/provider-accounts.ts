/** The school of the journeys (issue 17), where each role signs in as itself. */
export const OIDC_TEST_SCHOOL = 'ecole-des-donnees';

/** The school of the jury's deliberation, of its own: its « prêts pour le jury » lists that journey's paths alone. */
export const OIDC_TEST_JURY_SCHOOL = 'ecole-deliberation';

/**
 * The people of the identity provider in the browser tests (test/console/console-server.ts starts
 * it): login → the Jalon claims of their access tokens. A person's login is their `sub`, which the
 * api takes for their id (an assessor's, in the sittings assigned to them).
 */
export const OIDC_TEST_ACCOUNTS = {
  'claire.martin': { role: 'admin', org: 'lycee-jean-moulin' },
  'paul.sans-role': { role: 'staff', org: 'lycee-jean-moulin' },
  'helene.garnier': { role: 'admin', org: OIDC_TEST_SCHOOL },
  'nadia.haddad': { role: 'referent', org: OIDC_TEST_SCHOOL },
  'sophie.bernard': { role: 'assessor', org: OIDC_TEST_SCHOOL },
  'marc.lefevre': { role: 'jury', org: OIDC_TEST_SCHOOL },
  // The candidate-dpo journey's assessor: the seed-000 journey counts the sittings of its own.
  'luc.moreau': { role: 'assessor', org: OIDC_TEST_SCHOOL },
  'julie.roux': { role: 'dpo', org: OIDC_TEST_SCHOOL },
  'anne.petit': { role: 'admin', org: OIDC_TEST_JURY_SCHOOL },
  'yves.girard': { role: 'assessor', org: OIDC_TEST_JURY_SCHOOL },
  'ines.fabre': { role: 'jury', org: OIDC_TEST_JURY_SCHOOL },
  'omar.benali': { role: 'referent', org: OIDC_TEST_JURY_SCHOOL },
};

/** A candidate of the journeys' school signs in with their Jalon candidate id as login (their `sub`): known once the admin registered them. */
export const OIDC_TEST_ACCOUNT_PATTERNS = [{ login: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', role: 'candidate', org: OIDC_TEST_SCHOOL }];
