import { createHash, createPrivateKey, createPublicKey, JsonWebKey, KeyObject, sign, verify } from 'crypto';
import { IssuedDocumentModel, IssuerKey } from '../document-model';
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
  ofCertificationWithKind,
  registrationPhrases,
  rncpNumber,
  rsNumber,
} from './french';
import { rawPublicKey } from './issuer-key';

/**
 * The Open Badges 3.0 credential of an attestation or a certificate: a W3C Verifiable Credential
 * (data model 2.0) secured as a VC-JWT (Open Badges 3.0 §8.2): a compact JWS signed with the
 * issuer's Ed25519 key, whose payload is the credential itself plus the registered claims `iss`,
 * `jti` and `nbf`. Anyone holding the published public key can verify it offline. Everything comes
 * from the model: no clock, no randomness, so issuing twice gives the same string.
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
  readonly achievementType: 'Competency' | 'Certificate';
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
    readonly targetType: 'ceterms:Credential';
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
  };
}

/**
 * The string whose salted SHA-256 is the credential's identityHash: the holder's name as the
 * document prints it (holderName: prénoms then nom de naissance), in lower case. The credential does
 * not show the candidate's name (AchievementSubject has no name property, and a credential travels
 * further than a PDF); a verifier who reads the name on the PDF or on the verification page checks
 * it with `identityHash(nameIdentity(name), salt)`.
 */
export function candidateIdentity(candidate: Pick<IssuedDocumentModel['candidate'], 'firstNames' | 'birthName'>): string {
  return nameIdentity(holderName(candidate).name);
}

/** A printed name as the identity hash takes it: NFC, lower case, single spaces. */
export function nameIdentity(name: string): string {
  return name.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
}

export function identityHash(identity: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(identity + salt, 'utf8')
    .digest('hex')}`;
}

/** The credential as a VC-JWT signed with the issuer key. */
export function issueCredential(model: IssuedDocumentModel, key: IssuerKey): string {
  const credential = buildCredential(model, key);
  const header = { alg: 'EdDSA', typ: 'JWT', kid: key.keyId };
  const payload = { ...credential, iss: credential.issuer.id, jti: credential.id, nbf: Math.floor(Date.parse(credential.validFrom) / 1000) };
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), createPrivateKey(key.privateKeyPem));
  return `${signingInput}.${signature.toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a VC-JWT offline against the issuer's published public key: algorithm, signature, and that it is an Open Badge. */
export function verifyCredential(jwt: string, publicKeyPem: string): CredentialVerification {
  const invalid = (reason: string): CredentialVerification => ({ valid: false, reason });
  const parts = jwt.trim().split('.');
  if (parts.length !== 3) return invalid('not a compact JWS (header.payload.signature)');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload)) return invalid('the header or the payload is not base64url');

  const header = parseJsonObject(encodedHeader);
  if (!header) return invalid('the header is not a JSON object');
  // Only EdDSA: accepting the algorithm the token names is how `alg: none` and key-confusion forgeries get in.
  if (header['alg'] !== 'EdDSA') return invalid(`unsupported algorithm ${JSON.stringify(header['alg'])}: only EdDSA is accepted`);
  if (header['crit'] !== undefined) return invalid('unsupported critical header parameters');

  const signature = Buffer.from(encodedSignature, 'base64url');
  // A non-canonical encoding decodes to the same bytes: reject it so that one credential has one token.
  if (!BASE64URL.test(encodedSignature) || signature.length !== 64 || signature.toString('base64url') !== encodedSignature) {
    return invalid('malformed Ed25519 signature');
  }

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return invalid('unreadable public key');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return invalid('the public key is not an Ed25519 key');
  if (!verify(null, Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'), publicKey, signature)) return invalid('signature does not match');

  const credential = parseJsonObject(encodedPayload);
  if (!credential) return invalid('the payload is not a JSON object');
  const types = credential['type'];
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential')) {
    return invalid('the payload is not an OpenBadgeCredential');
  }
  return { valid: true, credential };
}

/** The issuer's public key as a JWK (OKP, Ed25519), with its `kid`, for the service to publish. */
export function publicJwk(key: Pick<IssuerKey, 'keyId' | 'publicKeyPem'>): JsonWebKey {
  const x = rawPublicKey(createPublicKey(key.publicKeyPem)).toString('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, kid: key.keyId, alg: 'EdDSA', use: 'sig' };
}

/** The registers the certification is entered in, as the référentiel states its codes: an alignment to each fiche. */
function alignmentsOf(model: IssuedDocumentModel): NonNullable<Achievement['alignment']> {
  const { certification } = model;
  const fiches = [
    ...(certification.rncpCode?.trim()
      ? [{ code: rncpNumber(certification.rncpCode), path: 'rncp', framework: 'Répertoire national des certifications professionnelles (RNCP)' }]
      : []),
    ...(certification.rsCode?.trim() ? [{ code: rsNumber(certification.rsCode), path: 'rs', framework: 'Répertoire spécifique (RS)' }] : []),
  ];
  return fiches.flatMap((fiche) => {
    const digits = fiche.code.match(/\d+/)?.[0];
    return digits
      ? [
          {
            type: ['Alignment'] as const,
            targetName: certification.title,
            targetUrl: `https://www.francecompetences.fr/recherche/${fiche.path}/${digits}/`,
            targetCode: fiche.code,
            targetFramework: fiche.framework,
            targetType: 'ceterms:Credential' as const,
          },
        ]
      : [];
  });
}

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
      humanCode: bloc.code,
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
    achievementType: 'Certificate',
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
