/**
 * The certifier the console's browser tests declare for (ACCROCHAGE_CERTIFIERS of the api
 * console-server.ts starts with the development sign-in): its admins are those of its organisation,
 * which only the accrochage spec signs in to.
 */
export const ACCROCHAGE_TEST_CERTIFIER = {
  id: 'ecole-data-ia',
  organisationId: 'ecole-accrochage',
  senderClientId: 'ABCD1234',
  certifierClientId: 'EFGH5678',
  contractId: 'MCFCER000123',
  certifications: [{ referentialId: 'data-ia-quatre-blocs', type: 'RNCP', code: 'RNCP37827' }],
};
