export { IssuerKeyRing } from './issuer-key-ring';
export type { IssuerKeyRingOptions, PublishedIssuerKey, SigningKeySource } from './issuer-key-ring';
export { configuredIssuer, configuredSignatory, issuerIdOf, issuerProfile } from './issuer-profile';
export type { IssuerIdentity, IssuerProfile } from './issuer-profile';
