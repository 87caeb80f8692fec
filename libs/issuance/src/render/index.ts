export { renderPdf, documentContent } from './render-pdf';
export type { RenderPdfOptions, DocumentContent, ContentBlock, BlockStyle } from './render-pdf';
export { issueCredential, verifyCredential, publicJwk, buildCredential, candidateIdentity, nameIdentity, identityHash, OB3_CONTEXT } from './credential';
export type { OpenBadgeCredential, Achievement, IdentityObject, Profile, CredentialVerification } from './credential';
export { generateIssuerKey, issuerKeyFromPem, keyIdOf } from './issuer-key';
export { toWinAnsi } from './win-ansi';
export {
  holderName,
  holderNameLines,
  certificationWording,
  documentKindLabel,
  blocName,
  blocCompetencies,
  levelPhrase,
  registrationPhrases,
  nsfLine,
  asLine,
  rncpNumber,
  rsNumber,
} from './french';
export type { HolderName, CertificationWording } from './french';
