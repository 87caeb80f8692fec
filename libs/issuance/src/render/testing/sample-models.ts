import { IssuedDocumentModel } from '../../document-model';

/**
 * Documents shaped as the worker builds them from the seeds' référentiels (referentials/*.yaml): seed
 * 000 "Expert en ingénierie et science des données" with its Data Science option, seed 002 "Expert en
 * data science" for the longest bloc titles. The RNCP codes are invented: the seeds do not state
 * one; so is seed 002's level, which its file only assumes (referentials/errata.yaml): the worker
 * prints none for it (assumed-statements.spec.ts). Seed 000 names no certifier, so its certificate has none.
 */
export const sampleAttestation: IssuedDocumentModel = {
  kind: 'attestation',
  number: 'JAL-A-7K3Q9M2X4P',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-A-7K3Q9M2X4P',
  certification: {
    kind: 'certification-professionnelle',
    title: 'Expert en data science',
    rncpCode: 'RNCP38587',
    level: 7,
    certifier: 'OpenClassrooms',
  },
  referentialId: 'expert-en-data-science',
  version: '1',
  bloc: {
    code: 'BC01',
    title: "Collecter, pré-traiter et analyser des données et créer des variables pertinentes (feature engineering) pour l'entraînement d'un modèle",
  },
  candidate: { birthName: 'Lefèvre', usageName: 'Garçon-Dœuf', firstNames: ['Anaïs', 'Hélène'], birthDate: '1998-03-01' },
  decision: { date: '2026-06-14T09:30:00.000Z', place: 'Paris', by: 'jury' },
  enrollmentId: 'enr-4f1c2a',
  decisionEventId: '0f8b9c1e-2d3a-4b5c-8d6e-7f8091a2b3c4',
};

export const sampleCertificate: IssuedDocumentModel = {
  kind: 'certificate',
  number: 'JAL-C-9P2M4X7K3Q',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-C-9P2M4X7K3Q',
  certification: {
    kind: 'certification-professionnelle',
    title: 'Expert en ingénierie et science des données',
    rncpCode: '37137',
    level: 7,
  },
  referentialId: 'expert-ingenierie-science-donnees',
  version: '1',
  options: [{ code: 'BC05', label: 'Data Science' }],
  blocs: [
    { code: 'BC01', title: "Manager et piloter un projet Data et le développement d'une solution" },
    { code: 'BC02', title: 'Concevoir et déployer une infrastructure complète de gestion des données (collecte, traitement et stockage)' },
    { code: 'BC03', title: "Créer et /ou adapter un modèle d'apprentissage" },
    { code: 'BC05', title: "Optimiser des modèles d'apprentissage" },
  ],
  candidate: { birthName: 'Nguyễn', firstNames: ['Jean-Michel', 'Łukasz'], birthDate: '1995-11-23' },
  decision: { date: '2026-07-02', place: 'Lyon', by: 'jury' },
  enrollmentId: 'enr-7d2e9b',
  decisionEventId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
};

/**
 * A diplôme d'ingénieur prepared by apprenticeship, written as rows without titles
 * (test/fixtures/referentials/ingenieur-informatique-apprentissage@1.yaml): its référentiel states
 * the levels, and neither an RNCP code nor a certifier.
 */
const engineering: IssuedDocumentModel['certification'] = {
  kind: 'diplome-ingenieur',
  title: "Ingénieur diplômé, spécialité informatique, par la voie de l'apprentissage",
  level: 7,
  eqfLevel: 7,
};

const rowL1 = {
  code: 'L1',
  competencies: [
    { code: 'C1.1', title: "Recueillir et analyser les besoins des utilisateurs et des parties prenantes d'un système informatique" },
    { code: 'C1.2', title: "Rédiger les spécifications fonctionnelles et techniques d'un logiciel et en assurer la traçabilité" },
  ],
};

export const sampleEngineeringAttestation: IssuedDocumentModel = {
  ...sampleAttestation,
  number: 'JAL-A-ING0000001',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-A-ING0000001',
  certification: engineering,
  referentialId: 'ingenieur-informatique-apprentissage',
  bloc: rowL1,
};

export const sampleEngineeringCertificate: IssuedDocumentModel = {
  ...sampleCertificate,
  number: 'JAL-C-ING0000001',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-C-ING0000001',
  certification: engineering,
  referentialId: 'ingenieur-informatique-apprentissage',
  options: [],
  blocs: [
    rowL1,
    {
      code: 'L2',
      competencies: [
        { code: 'C2.1', title: "Concevoir l'architecture d'une application et en justifier les choix" },
        { code: 'C2.2', title: 'Développer, tester et intégrer les composants logiciels' },
      ],
    },
  ],
};

/** A CQP, as a branch's référentiel would state it (invented values: no shipped référentiel is a CQP). */
export const sampleCqpCertificate: IssuedDocumentModel = {
  ...sampleCertificate,
  number: 'JAL-C-CQP0000001',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-C-CQP0000001',
  certification: { kind: 'cqp', title: 'Technicien de maintenance industrielle', rncpCode: 'RNCP00001', level: 4, certifier: 'CPNE de la branche (exemple)' },
  referentialId: 'cqp-maintenance-exemple',
  options: [],
  blocs: [{ code: 'BC01', title: 'Réaliser la maintenance préventive' }],
};

/** A certification of the Répertoire spécifique: no level (the RS has none), a registration decision (invented values). */
export const sampleRsCertificate: IssuedDocumentModel = {
  ...sampleCertificate,
  number: 'JAL-C-RS00000001',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-C-RS00000001',
  certification: {
    kind: 'certification-rs',
    title: 'Analyser des données avec un tableur',
    rsCode: '5678',
    registration: { decisionDate: '2024-01-31', endDate: '2027-01-31', decisionReference: 'Décision n° 2024-01-31-RS-0000' },
    nsfCodes: ['326t'],
    certifier: 'Organisme certificateur (exemple)',
  },
  referentialId: 'rs-tableur-exemple',
  options: [],
  blocs: [],
};

export const sampleRsAttestation: IssuedDocumentModel = {
  ...sampleAttestation,
  number: 'JAL-A-RS00000001',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-A-RS00000001',
  certification: sampleRsCertificate.certification,
  referentialId: 'rs-tableur-exemple',
  bloc: { code: 'BC01', title: 'Construire un tableau croisé dynamique' },
};

/**
 * Holders whose names a French register holds and the WinAnsi fonts could not print: Vietnamese,
 * Polish (Latin Extended), Greek and Cyrillic, each with what the document must print (the prénoms
 * as given, the nom de naissance and the nom d'usage in capitals, as holderName writes them).
 */
export const internationalHolders: readonly { readonly candidate: IssuedDocumentModel['candidate']; readonly printed: readonly string[] }[] = [
  {
    candidate: { firstNames: ['Thị', 'Ánh'], birthName: 'Nguyễn', birthDate: '1994-02-11' },
    printed: ['Thị Ánh NGUYỄN'],
  },
  {
    candidate: { firstNames: ['Łukasz'], birthName: 'Żółć', usageName: 'Wałęsa-Şahin', birthDate: '1989-10-30' },
    printed: ['Łukasz ŻÓŁĆ', 'nom d’usage : WAŁĘSA-ŞAHIN'],
  },
  {
    candidate: { firstNames: ['Αλέξανδρος'], birthName: 'Παπαδόπουλος', birthDate: '1991-05-17' },
    printed: ['Αλέξανδρος ΠΑΠΑΔΌΠΟΥΛΟΣ'],
  },
  {
    candidate: { firstNames: ['Анна'], birthName: 'Кузнецова', usageName: 'Đorđević', birthDate: '1999-12-01' },
    printed: ['Анна КУЗНЕЦОВА', 'nom d’usage : ĐORĐEVIĆ'],
  },
];
