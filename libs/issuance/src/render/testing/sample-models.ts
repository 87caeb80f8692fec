import { IssuedDocumentModel } from '../../document-model';

/**
 * Documents as the worker builds them from the seeds' référentiels (referentials/*.yaml): seed 000
 * "Expert en ingénierie et science des données" with its Data Science option, seed 002 "Expert en
 * data science" for the longest bloc titles. The RNCP code is invented: the seeds do not state one.
 */
export const sampleAttestation: IssuedDocumentModel = {
  kind: 'attestation',
  number: 'JAL-A-7K3Q9M2X4P',
  verificationUrl: 'https://jalon.example.fr/verification/JAL-A-7K3Q9M2X4P',
  certifier: 'OpenClassrooms',
  certificationTitle: 'Expert en data science',
  rncpCode: 'RNCP38587',
  level: 7,
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
  certifier: 'Certificateur non nommé dans le référentiel',
  certificationTitle: 'Expert en ingénierie et science des données',
  rncpCode: '37137',
  level: 7,
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
