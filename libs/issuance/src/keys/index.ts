export { IssuerKeyRing } from './issuer-key-ring';
export type { IssuerKeyRingOptions, PublishedIssuerKey, SigningKeySource } from './issuer-key-ring';
export { configuredIssuer, configuredIssuers, configuredSignatory, issuerIdOf, issuerProfile } from './issuer-profile';
export type { ConfiguredIssuers, DocumentIssuer, IssuerIdentity, IssuerProfile } from './issuer-profile';
