export { renderPdf, documentContent } from './render-pdf';
export type { RenderPdfOptions, DocumentContent, ContentBlock, BlockStyle } from './render-pdf';
export {
  issueCredential,
  signJwt,
  verifyCredential,
  publicJwk,
  buildCredential,
  candidateIdentity,
  nameIdentity,
  identityHash,
  OB3_CONTEXT,
} from './credential';
export type { OpenBadgeCredential, Achievement, IdentityObject, Profile, CredentialVerification, VerificationKeys } from './credential';
export {
  generateIssuerKey,
  issuerKeyFromPem,
  keyIdOf,
  jwkThumbprint,
  keyUri,
  publicJwkOf,
  algorithmOf,
  RSA_MODULUS_BITS,
  MIN_RSA_MODULUS_BITS,
} from './issuer-key';
export type { PublicJwk } from './issuer-key';
export {
  holderName,
  holderNameLines,
  certificationWording,
  certifierName,
  documentKindLabel,
  blocName,
  blocCompetencies,
  levelPhrase,
  registrationPhrases,
  nsfLine,
  officialBlocCode,
  asLine,
  rncpNumber,
  rsNumber,
} from './french';
export type { HolderName, CertificationWording } from './french';
