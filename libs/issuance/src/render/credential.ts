import { constants, createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'crypto';
import { IssuedDocumentModel, IssuerKey, IssuerKeyAlgorithm } from '../document-model';
import {
  asLine,
  blocCompetencies,
  blocOfCertification,
  certificationWithKind,
  certificationWording,
  decisionSentence,
  deliveredBy,
  documentTitle,
  holderName,
  instantOf,
  levelPhrase,
  officialBlocCode,
  ofCertificationWithKind,
  registrationPhrases,
  rncpNumber,
  rsNumber,
} from './french';
import { algorithmOf, MIN_RSA_MODULUS_BITS, PublicJwk, publicJwkOf } from './issuer-key';
import { BitstringStatusListEntry, statusListEntry } from '../status-list/status-list-credential';

/**
 * The Open Badges 3.0 credential of an attestation or a certificate: a W3C Verifiable Credential
 * (data model 2.0) secured as a VC-JWT (Open Badges 3.0 §8.2): a compact JWS signed RS256 with the
 * issuer's current key, its header naming the key by the URI it is published at (`kid`), its payload
 * the credential's own properties (no `vc` wrapper: §8.2.4 of the data-model-2.0 edition) plus the
 * registered claims `iss` (issuer.id), `sub` (credentialSubject.id), `nbf` (validFrom) and `jti`
 * (id). Anyone holding the published key set can verify it offline. Everything comes from the model
 * and the key: no clock, no randomness (RSA PKCS#1 v1.5 signatures are deterministic), so issuing
 * twice with the same key gives the same string.
 */

export const OB3_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] as const;
const OB3_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

export interface Profile {
  readonly id: string;
  readonly type: readonly ['Profile'];
  readonly name: string;
}

/** OB 3.0 IdentityObject: who the credential is about, as a salted hash (see candidateIdentity). */
export interface IdentityObject {
  readonly type: 'IdentityObject';
  readonly identityType: 'name';
  readonly hashed: true;
  readonly identityHash: string;
  readonly salt: string;
}

export interface Achievement {
  readonly id: string;
  readonly type: readonly ['Achievement'];
  /** A bloc: Competency; a diplôme: Diploma; any other certification: Certificate. */
  readonly achievementType: 'Competency' | 'Certificate' | 'Diploma';
  readonly name: string;
  readonly description: string;
  readonly criteria: { readonly narrative: string };
  readonly humanCode?: string;
  readonly inLanguage: 'fr';
  readonly version: string;
  /** The certifier, where the référentiel names one. */
  readonly creator?: Profile;
  readonly alignment?: readonly {
    readonly type: readonly ['Alignment'];
    readonly targetName: string;
    readonly targetUrl: string;
    readonly targetCode: string;
    readonly targetFramework: string;
    /** The certification's fiche (ceterms:Credential), or one of its blocs (ceasn:Competency). */
    readonly targetType: 'ceterms:Credential' | 'ceasn:Competency';
  }[];
}

export interface OpenBadgeCredential {
  readonly '@context': typeof OB3_CONTEXT;
  readonly id: string;
  readonly type: readonly ['VerifiableCredential', 'OpenBadgeCredential'];
  readonly name: string;
  readonly description: string;
  readonly issuer: Profile;
  readonly validFrom: string;
  readonly awardedDate: string;
  readonly credentialSubject: {
    /** Name-based from the enrollment and the document number (the JWT's `sub`): says nothing of the holder. */
    readonly id: string;
    readonly type: readonly ['AchievementSubject'];
    readonly identifier: readonly IdentityObject[];
    readonly achievement: Achievement;
  };
  readonly evidence: readonly {
    readonly id: string;
    readonly type: readonly ['Evidence'];
    readonly name: string;
    readonly description: string;
    readonly narrative: string;
  }[];
  readonly credentialSchema: readonly { readonly id: string; readonly type: '1EdTechJsonSchemaValidator2019' }[];
  /** Where its revocation is published (W3C Bitstring Status List v1.0), when the document was given an entry. */
  readonly credentialStatus?: BitstringStatusListEntry;
}

export type CredentialVerification = { readonly valid: true; readonly credential: object } | { readonly valid: false; readonly reason: string };

/** The unsigned credential (the VC-JWT's payload without its JWT claims). */
export function buildCredential(model: IssuedDocumentModel, issuer: Pick<IssuerKey, 'issuerId' | 'issuerName'>): OpenBadgeCredential {
  const decidedAt = dateTime(model.decision.date);
  const achievement = buildAchievement(model);
  const salt = createHash('sha256').update(`jalon:identity-salt:${model.decisionEventId}:${model.number}`).digest('base64url').slice(0, 22);
  return {
    '@context': OB3_CONTEXT,
    id: `urn:uuid:${nameBasedUuid(`credential:${model.number}`)}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${documentTitle(model)} — ${achievement.name}`,
    description: `${documentTitle(model)} N° ${model.number}. ${decisionSentence(model)}.`,
    issuer: { id: issuer.issuerId, type: ['Profile'], name: issuer.issuerName },
    validFrom: decidedAt,
    awardedDate: decidedAt,
    credentialSubject: {
      id: `urn:uuid:${nameBasedUuid(`subject:${model.enrollmentId}:${model.number}`)}`,
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: true, identityHash: identityHash(candidateIdentity(model.candidate), salt), salt }],
      achievement,
    },
    evidence: [
      {
        id: model.verificationUrl,
        type: ['Evidence'],
        name: `Page de vérification du document N° ${model.number}`,
        description: 'La page publique de ce document indique s’il est valide ou révoqué.',
        narrative: `${decisionSentence(model)} (inscription ${model.enrollmentId}, décision ${model.decisionEventId}).`,
      },
    ],
    credentialSchema: [{ id: OB3_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
    ...(model.statusListEntry ? { credentialStatus: statusListEntry(model.statusListEntry) } : {}),
  };
}

/**
 * The string whose salted SHA-256 is the credential's identityHash: the holder's name exactly as
 * the document prints it (holderName: prénoms then NOM DE NAISSANCE, « Thị Ánh NGUYỄN »), in NFC,
 * nothing lowered or trimmed. The credential does not show the candidate's name (AchievementSubject
 * has no name property, and a credential travels further than a PDF); a verifier who reads the name
 * on the PDF or on the verification page checks it as OB 3.0 says, with no Jalon code:
 * `'sha256$' + hex(SHA-256(UTF-8(name + salt)))`.
 */
export function candidateIdentity(candidate: Pick<IssuedDocumentModel['candidate'], 'firstNames' | 'birthName'>): string {
  return nameIdentity(holderName(candidate).name);
}

/** A printed name as the identity hash takes it: as printed, in NFC (the same letters, the same code points). */
export function nameIdentity(name: string): string {
  return name.normalize('NFC');
}

export function identityHash(identity: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(identity + salt, 'utf8')
    .digest('hex')}`;
}

/** The credential as a VC-JWT signed with the issuer key (RS256; the service never signs with the legacy EdDSA key). */
export function issueCredential(model: IssuedDocumentModel, key: IssuerKey): string {
  const credential = buildCredential(model, key);
  const payload = {
    ...credential,
    iss: credential.issuer.id,
    sub: credential.credentialSubject.id,
    jti: credential.id,
    nbf: Math.floor(Date.parse(credential.validFrom) / 1000),
  };
  return signJwt(payload, key);
}

/**
 * A compact JWS of `payload` (JSON) signed with the key: header `{ alg, typ: 'JWT', kid }`, the only
 * members OB 3.0 allows. RS256 is RSASSA-PKCS1-v1_5 with SHA-256: the same payload and key give the
 * same token, which issuing the same decision twice relies on.
 */
export function signJwt(payload: object, key: Pick<IssuerKey, 'alg' | 'keyId' | 'privateKeyPem'>): string {
  const header = { alg: key.alg, typ: 'JWT', kid: key.keyId };
  const signingInput = Buffer.from(`${base64url(header)}.${base64url(payload)}`, 'ascii');
  const privateKey = createPrivateKey(key.privateKeyPem);
  if (algorithmOf(createPublicKey(privateKey)) !== key.alg) throw new RangeError(`the key does not sign ${key.alg}`);
  const signature =
    key.alg === 'RS256'
      ? sign('sha256', signingInput, { key: privateKey, padding: constants.RSA_PKCS1_PADDING })
      : key.alg === 'ES256'
        ? // JWS wants R || S (64 bytes), not DER; ECDSA's nonce is random: two signatures of one payload differ.
          sign('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' })
        : sign(null, signingInput, privateKey);
  return `${signingInput.toString('ascii')}.${signature.toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * What a credential is verified against: the issuer's published key set, whose `kid` picks the key
 * (every key, current and retired), or a single public key in PEM.
 */
export type VerificationKeys = { readonly keys: readonly object[] } | string;

/**
 * Checks a VC-JWT offline against the issuer's published keys: the key named by the header's `kid`,
 * the algorithm that key is for (RS256, ES256 for a P-256 key, or EdDSA for the legacy Ed25519 key: never the one the token
 * names alone), the signature, that it is an Open Badge, and that its JWT claims are its own (§8.2:
 * iss = issuer.id, sub = credentialSubject.id, nbf = validFrom, jti = id).
 */
export function verifyCredential(jwt: string, keys: VerificationKeys): CredentialVerification {
  const invalid = (reason: string): CredentialVerification => ({ valid: false, reason });
  const parts = jwt.trim().split('.');
  if (parts.length !== 3) return invalid('not a compact JWS (header.payload.signature)');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload)) return invalid('the header or the payload is not base64url');

  const header = parseJsonObject(encodedHeader);
  if (!header) return invalid('the header is not a JSON object');
  // Only these: accepting the algorithm the token names is how `alg: none` and key-confusion forgeries get in.
  const alg = header['alg'];
  if (alg !== 'RS256' && alg !== 'ES256' && alg !== 'EdDSA') {
    return invalid(`unsupported algorithm ${JSON.stringify(alg)}: only RS256, ES256 (and EdDSA, the legacy key's) are accepted`);
  }
  if (header['crit'] !== undefined) return invalid('unsupported critical header parameters');

  const chosen = typeof keys === 'string' ? keyOfPem(keys) : keyOfSet(keys, header['kid']);
  if ('reason' in chosen) return invalid(chosen.reason);
  // The key decides the algorithm; the token naming another one is refused, whatever it names.
  if (chosen.alg !== alg) return invalid(`the credential names ${alg}, its key is for ${chosen.alg}`);

  const signature = Buffer.from(encodedSignature, 'base64url');
  const length = alg === 'RS256' ? Math.ceil((chosen.key.asymmetricKeyDetails?.modulusLength ?? 0) / 8) : 64;
  // A non-canonical encoding decodes to the same bytes: reject it so that one credential has one token.
  if (!BASE64URL.test(encodedSignature) || signature.length !== length || signature.toString('base64url') !== encodedSignature) {
    return invalid(`malformed ${alg === 'EdDSA' ? 'Ed25519' : alg === 'ES256' ? 'ECDSA P-256' : 'RSA'} signature`);
  }
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  const matches =
    alg === 'RS256'
      ? verify('sha256', signed, { key: chosen.key, padding: constants.RSA_PKCS1_PADDING }, signature)
      : alg === 'ES256'
        ? verify('sha256', signed, { key: chosen.key, dsaEncoding: 'ieee-p1363' }, signature)
        : verify(null, signed, chosen.key, signature);
  if (!matches) return invalid('signature does not match');

  const credential = parseJsonObject(encodedPayload);
  if (!credential) return invalid('the payload is not a JSON object');
  const types = credential['type'];
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential')) {
    return invalid('the payload is not an OpenBadgeCredential');
  }
  const claims = claimsMismatch(credential, alg);
  return claims ? invalid(claims) : { valid: true, credential };
}

/** The JWT claims against the credential they restate (§8.2.4.2), or what does not match. */
function claimsMismatch(payload: Record<string, unknown>, alg: IssuerKeyAlgorithm): string | undefined {
  const issuer = payload['issuer'];
  const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  if (typeof payload['iss'] !== 'string' || payload['iss'] !== issuerId) return 'the iss claim is not the issuer’s id';
  if (typeof payload['jti'] !== 'string' || payload['jti'] !== payload['id']) return 'the jti claim is not the credential’s id';
  const validFrom = typeof payload['validFrom'] === 'string' ? Date.parse(payload['validFrom']) : NaN;
  if (typeof payload['nbf'] !== 'number' || payload['nbf'] !== Math.floor(validFrom / 1000)) return 'the nbf claim is not the credential’s validFrom';
  const subjectId = (payload['credentialSubject'] as { id?: unknown } | undefined)?.id;
  // The legacy EdDSA credentials had no subject id, so no sub; every RS256 (or ES256) one has both.
  if (payload['sub'] !== subjectId || (alg !== 'EdDSA' && typeof payload['sub'] !== 'string')) return 'the sub claim is not the credentialSubject’s id';
  return undefined;
}

type ChosenKey = { readonly key: KeyObject; readonly alg: IssuerKeyAlgorithm } | { readonly reason: string };

function keyOfPem(publicKeyPem: string): ChosenKey {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { reason: 'unreadable public key' };
  }
  const alg = algorithmOf(key);
  return alg ? { key, alg } : { reason: `the public key is neither an RSA key of ${MIN_RSA_MODULUS_BITS} bits or more, a P-256 key nor an Ed25519 key` };
}

/** The one key of the set the `kid` names, for the algorithm it is published for and its type verifies. */
function keyOfSet(set: { readonly keys: readonly object[] }, kid: unknown): ChosenKey {
  if (typeof kid !== 'string' || kid === '') return { reason: 'the header names no kid: no published key can be chosen' };
  const named = (Array.isArray(set.keys) ? set.keys : []).filter((jwk) => (jwk as { kid?: unknown }).kid === kid) as Record<string, unknown>[];
  if (named.length === 0) return { reason: `no published key has the kid ${kid}` };
  if (named.length > 1) return { reason: `several published keys have the kid ${kid}` };
  const jwk = named[0];
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in jwk)) return { reason: 'the published key holds private members' };
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') return { reason: `the key ${kid} is not for signatures` };
  let key: KeyObject;
  try {
    // Only the public members go to the parser: whatever else the published JWK carries is not read.
    const members = Object.fromEntries(['kty', 'n', 'e', 'crv', 'x', 'y'].filter((m) => typeof jwk[m] === 'string').map((m) => [m, jwk[m]]));
    key = createPublicKey({ key: members, format: 'jwk' });
  } catch {
    return { reason: `the key ${kid} is not a readable JWK` };
  }
  const alg = algorithmOf(key);
  if (!alg) return { reason: `the key ${kid} is neither an RSA key of ${MIN_RSA_MODULUS_BITS} bits or more, a P-256 key nor an Ed25519 key` };
  if (jwk['alg'] !== undefined && jwk['alg'] !== alg) return { reason: `the key ${kid} is published for ${String(jwk['alg'])}, its type is for ${alg}` };
  return { key, alg };
}

/** The issuer's public key as a JWK (RSA, or OKP for the legacy Ed25519 key), with its `kid`, `alg` and `use`, for the service to publish. */
export function publicJwk(key: Pick<IssuerKey, 'keyId' | 'publicKeyPem'>): PublicJwk {
  return publicJwkOf(createPublicKey(key.publicKeyPem), key.keyId);
}

/** The registers the certification is entered in, as the référentiel states its codes: an alignment to each fiche. */
/**
 * The official fiche the certification is registered under (France Compétences' page), and for
 * an attestation the bloc within it, by its official code (RNCP12345BC01) where the référentiel's
 * bloc code is of that form.
 */
function alignmentsOf(model: IssuedDocumentModel): NonNullable<Achievement['alignment']> {
  const { certification } = model;
  const fiches = [
    ...(certification.rncpCode?.trim()
      ? [{ code: rncpNumber(certification.rncpCode), path: 'rncp', framework: 'Répertoire national des certifications professionnelles (RNCP)' }]
      : []),
    ...(certification.rsCode?.trim() ? [{ code: rsNumber(certification.rsCode), path: 'rs', framework: 'Répertoire spécifique (RS)' }] : []),
  ];
  const officialBloc = model.kind === 'attestation' && model.bloc ? officialBlocCode(certification, model.bloc.code) : undefined;
  return fiches.flatMap((fiche) => {
    const digits = fiche.code.match(/\d+/)?.[0];
    if (!digits) return [];
    const targetUrl = `https://www.francecompetences.fr/recherche/${fiche.path}/${digits}/`;
    const credential = {
      type: ['Alignment'] as const,
      targetName: certification.title,
      targetUrl,
      targetCode: fiche.code,
      targetFramework: fiche.framework,
      targetType: 'ceterms:Credential' as const,
    };
    if (!officialBloc || !model.bloc || fiche.path !== 'rncp') return [credential];
    const bloc = {
      type: ['Alignment'] as const,
      targetName: model.bloc.title?.trim() || `Bloc de compétences ${model.bloc.code}`,
      targetUrl,
      targetCode: officialBloc,
      targetFramework: fiche.framework,
      targetType: 'ceasn:Competency' as const,
    };
    return [bloc, credential];
  });
}

const DIPLOMA_KINDS: ReadonlySet<string> = new Set(['diplome-national', 'diplome-ingenieur', 'diplome-enseignement-superieur']);

function buildAchievement(model: IssuedDocumentModel): Achievement {
  const { certification } = model;
  const referential = `référentiel ${model.referentialId}, version ${model.version}`;
  const options = (model.options ?? []).map((option) => option.label);
  const optionLabel = options.length ? `option${options.length > 1 ? 's' : ''} ${options.join(', ')}` : '';
  const level = levelPhrase(certification);
  const delivered = deliveredBy(certification);
  // « , de niveau 7 du cadre national…, enregistré au RNCP sous le numéro …, délivré par … »: what the référentiel states, nothing else.
  const stated = (withOption: boolean): string =>
    [
      ...(withOption && optionLabel ? [optionLabel] : []),
      ...(level ? [`de ${level}`] : []),
      ...registrationPhrases(certification),
      ...(delivered ? [delivered] : []),
    ]
      .map((part) => `, ${part}`)
      .join('');
  const certifier = certification.certifier?.trim();
  const creator = certifier ? { creator: { id: `urn:uuid:${nameBasedUuid(`certifier:${certifier}`)}`, type: ['Profile'] as const, name: certifier } } : {};
  const alignments = alignmentsOf(model);
  const alignment = alignments.length ? { alignment: alignments } : {};

  if (model.kind === 'attestation') {
    if (!model.bloc) throw new RangeError(`attestation ${model.number} names no bloc`);
    const bloc = model.bloc;
    const title = bloc.title?.trim();
    const competencies = blocCompetencies(bloc);
    return {
      id: `urn:uuid:${nameBasedUuid(`achievement:${model.referentialId}@${model.version}:${bloc.code}`)}`,
      type: ['Achievement'],
      achievementType: 'Competency',
      name: title ? `Bloc de compétences ${bloc.code} — ${title}` : blocOfCertification(model, bloc),
      description:
        `Bloc de compétences ${bloc.code} ${ofCertificationWithKind(certification)}${stated(false)}. ${asLine(referential)}.` +
        (competencies.length ? ` Compétences du bloc\u00A0: ${competencies.join(' ; ')}.` : ''),
      criteria: {
        narrative: `Toutes les compétences du bloc ${bloc.code} ont été évaluées et acquises selon les modalités d’évaluation du ${referential}.`,
      },
      humanCode: alignments.find((a) => a.targetType === 'ceasn:Competency')?.targetCode ?? bloc.code,
      inLanguage: 'fr',
      version: model.version,
      ...creator,
      ...alignment,
    };
  }

  const blocCodes = (model.blocs ?? []).map((bloc) => bloc.code);
  const humanCode =
    alignments.find((a) => a.targetCode.startsWith(certificationWording(certification.kind).registry.toUpperCase()))?.targetCode ?? alignments[0]?.targetCode;
  return {
    id: `urn:uuid:${nameBasedUuid(`achievement:${model.referentialId}@${model.version}:certification:${(model.options ?? []).map((o) => o.code).join('+')}`)}`,
    type: ['Achievement'],
    achievementType: DIPLOMA_KINDS.has(certification.kind) ? 'Diploma' : 'Certificate',
    name: `${certification.title}${optionLabel ? ` — ${optionLabel}` : ''}`,
    description: `${certificationWithKind(certification)}${stated(true)}. ${asLine(referential)}.`,
    criteria: {
      narrative: `Validation des blocs de compétences ${blocCodes.length ? blocCodes.join(', ') : 'requis'}${optionLabel ? ` (${optionLabel})` : ''} et des autres exigences du ${referential}${model.decision.by === 'jury' ? ', puis décision du jury' : ''}.`,
    },
    ...(humanCode ? { humanCode } : {}),
    inLanguage: 'fr',
    version: model.version,
    ...creator,
    ...alignment,
  };
}

/** xsd:dateTimeStamp without milliseconds, as OB 3.0 examples write validFrom. */
function dateTime(value: string): string {
  return instantOf(value)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** A fixed namespace for Jalon's name-based UUIDs; changing it would change every credential id. */
const JALON_UUID_NAMESPACE = Buffer.from('3f9c2b1e6a7d4e0f9b8c5d2a1e4f7a90', 'hex');

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same id. */
function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(JALON_UUID_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function parseJsonObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
