import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, download } from '../api/client';
import type { components } from '../api/schema';
import { currentSession } from '../auth/session';
import i18n from '../i18n';
import type { PathView } from '../pages/sittings';
import { formatParis, parisWallClock } from './paris-time';
import { ToneBadge } from './Tone';

type Issued = components['schemas']['IssuedDocumentView'];
type NotIssued = components['schemas']['NotIssuedDocumentView'];
type Document = Issued | NotIssued;

const issued = (d: Document): d is Issued => 'number' in d;

/**
 * The public page that verifies a document, as its QR code prints it: the api serves it on the
 * console's own origin (serve-console.ts), under the address PUBLIC_BASE_URL names.
 */
export function verificationUrl(number: string): string {
  return new URL(`/verify/${encodeURIComponent(number)}`, window.location.origin).href;
}

/**
 * LinkedIn's public « add a certification » link (Add to Profile), prefilled: the name, the
 * certifier where the référentiel names one, the month of the decision (Paris), the verification
 * page and the document's number. LinkedIn opens its own form with these; nothing is sent from here.
 */
export function linkedInUrl(certification: { name: string; organizationName?: string; decidedAt: string; certUrl: string; certId: string }): string {
  const { day } = parisWallClock(certification.decidedAt);
  const [year, month] = day.split('-');
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: certification.name });
  if (certification.organizationName) params.set('organizationName', certification.organizationName);
  params.set('issueYear', year);
  params.set('issueMonth', String(Number(month)));
  params.set('certUrl', certification.certUrl);
  params.set('certId', certification.certId);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

/** A document as a person names it: « Attestation de réussite — BC01 : Analyse… », « Certificat — Expert… ». */
function documentName(path: PathView, d: { kind: string; blocCode?: string }): string {
  if (d.kind !== 'attestation') return i18n.t('documents.certificateOf', { title: path.certification.title });
  const title = path.blocs.find((b) => b.code === d.blocCode)?.title;
  return title ? i18n.t('documents.attestationOf', { bloc: d.blocCode, title }) : i18n.t('path.attestation', { bloc: d.blocCode });
}

/** What LinkedIn shows as the certification's name: the certification, then the bloc an attestation is for. */
function linkedInName(path: PathView, d: Issued): string {
  if (d.kind !== 'attestation') return path.certification.title;
  const bloc = path.blocs.find((b) => b.code === d.blocCode);
  return i18n.t('documents.linkedIn.blocName', { title: path.certification.title, bloc: bloc?.title ? `${d.blocCode} : ${bloc.title}` : d.blocCode });
}

/** When the decision the document records was taken: the bloc's validation, the award; else its issue. */
function decidedAt(path: PathView, d: Issued): string {
  if (d.kind === 'attestation') return path.blocs.find((b) => b.code === d.blocCode)?.validatedAt ?? d.issuedAt;
  return path.awardedAt ?? d.issuedAt;
}

/**
 * The documents of a path (the attestation of each bloc validated, the certificate): their status,
 * and for those the reader may take them, the PDF and the credential to download, the verification
 * link to copy, and — the candidate's own — LinkedIn's « add a certification » link. A revoked
 * document says so; once the holder's personal data is erased, the files are gone and each screen says so.
 */
export function PathDocuments({ path }: { path: PathView }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const role = currentSession()?.role ?? '';
  // The certificate first, then each bloc's attestation in the order of the blocs (the api lists them as they were issued).
  const rank = (d: Document) => (d.kind === 'attestation' ? 1 + path.blocs.findIndex((b) => b.code === d.blocCode) : 0);
  const documents = [...(path.documents as Document[])].sort((a, b) => rank(a) - rank(b));
  const erasedAt = path.personalDataErasedAt;
  const date = (iso: string) => formatParis(iso, language, { dateStyle: 'medium' });
  // A decision whose document the issuance jobs are still writing (never once the holder is erased).
  const standing = (kind: string, bloc?: string) => documents.some((d) => d.kind === kind && d.blocCode === bloc && d.status !== 'revoked');
  const pending = erasedAt
    ? []
    : [
        // A bloc carried by a transfer rests on the attestation of the path it was validated in (R13): none is owed here.
        ...path.blocs
          .filter((b) => b.status === 'validated' && b.decidedBy !== 'transfer' && !standing('attestation', b.code))
          .map((b) => ({ kind: 'attestation', blocCode: b.code })),
        ...(path.awardedAt && !standing('certificate') ? [{ kind: 'certificate', blocCode: undefined }] : []),
      ];
  return (
    <Card withBorder component="section" aria-labelledby="documents-title">
      <Title order={2} size="h4" mb="xs" id="documents-title">
        {role === 'candidate' ? t('documents.mine') : t('path.documents')}
      </Title>
      <Stack gap="sm">
        {documents.length === 0 && pending.length === 0 ? (
          <Text size="sm">{role === 'candidate' ? t('documents.noneYet') : t('path.noDocument')}</Text>
        ) : (
          role === 'candidate' && !erasedAt && <Text size="sm">{t('documents.intro')}</Text>
        )}
        {documents.map((d, i) =>
          issued(d) ? (
            <IssuedDocument key={d.number} path={path} document={d} role={role} />
          ) : (
            <Card key={`not-issued-${i}`} withBorder component="article" aria-label={documentName(path, d)} padding="sm">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Text fw={600}>{documentName(path, d)}</Text>
                  <Text size="sm">{t(`documents.notIssued.${d.kind}`, { date: date(d.decidedAt) })}</Text>
                </Stack>
                <ToneBadge tone="gray" flex="none">
                  {t('path.documentStatus.not-issued')}
                </ToneBadge>
              </Group>
            </Card>
          ),
        )}
        {pending.map((d) => (
          <Card key={`pending-${d.kind}-${d.blocCode ?? ''}`} withBorder component="article" aria-label={documentName(path, d)} padding="sm">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Text fw={600}>{documentName(path, d)}</Text>
                <Text size="sm">{t('documents.pendingText')}</Text>
              </Stack>
              <ToneBadge tone="blue" flex="none">
                {t('documents.pending')}
              </ToneBadge>
            </Group>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}

function IssuedDocument({ path, document: d, role }: { path: PathView; document: Issued; role: string }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const titleId = useId();
  const clipboard = useClipboard({ timeout: 5000 });
  const [downloadError, setDownloadError] = useState<string>();
  const [downloading, setDownloading] = useState<string>();
  const erasedAt = path.personalDataErasedAt;
  const revoked = d.status === 'revoked';
  const url = verificationUrl(d.number);
  const date = (iso: string) => formatParis(iso, language, { dateStyle: 'medium' });
  // The files are the holder's and their school's (the api's roles for them); gone once the holder's data is erased.
  const mayDownload = ['admin', 'candidate'].includes(role) && !erasedAt;
  const name = documentName(path, d);
  const fetchFile = async (what: 'pdf' | 'credential') => {
    setDownloadError(undefined);
    setDownloading(what);
    try {
      const base = `/enrollments/${path.enrollmentId}/documents/${encodeURIComponent(d.number)}`;
      await download(what === 'pdf' ? `${base}/pdf` : `${base}/credential`, what === 'pdf' ? `${d.number}.pdf` : `${d.number}.vc.jwt`);
    } catch (error) {
      setDownloadError(
        error instanceof ApiProblem ? t(`errors.codes.${error.code}`, { defaultValue: t('documents.downloadFailed') }) : t('documents.downloadFailed'),
      );
    } finally {
      setDownloading(undefined);
    }
  };
  return (
    <Card withBorder component="article" aria-labelledby={titleId} padding="sm">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Title order={3} size="h5" id={titleId}>
              {name}
            </Title>
            <Text size="sm">{t(`documents.issued.${d.kind}`, { number: d.number, date: date(d.issuedAt) })}</Text>
            {revoked && (
              <Text size="sm">
                {t(`documents.revoked.${d.kind}`, {
                  date: d.revokedAt ? date(d.revokedAt) : '—',
                  reason: t(`documents.revocationReasons.${d.revocationReason ?? 'unspecified'}`, { defaultValue: d.revocationReason }),
                })}
              </Text>
            )}
            {erasedAt && <Text size="sm">{t('documents.filesErased', { date: date(erasedAt) })}</Text>}
          </Stack>
          <ToneBadge tone={revoked ? 'red' : 'green'} flex="none">
            {t(`path.documentStatus.${d.status}`)}
          </ToneBadge>
        </Group>
        <Group gap="xs">
          {mayDownload && (
            <>
              <Button size="xs" variant="light" loading={downloading === 'pdf'} onClick={() => void fetchFile('pdf')}>
                {t('documents.downloadPdf')}
              </Button>
              <Button size="xs" variant="light" loading={downloading === 'credential'} onClick={() => void fetchFile('credential')}>
                {t('documents.downloadCredential')}
              </Button>
            </>
          )}
          <Button size="xs" variant="default" onClick={() => clipboard.copy(url)}>
            {clipboard.copied ? t('documents.copied') : t('documents.copyLink')}
          </Button>
          <Anchor href={url} target="_blank" rel="noopener" size="sm">
            {t('documents.openVerification')}
          </Anchor>
          {role === 'candidate' && !revoked && !erasedAt && (
            <Button
              size="xs"
              component="a"
              href={linkedInUrl({
                name: linkedInName(path, d),
                organizationName: path.certification.certifier,
                decidedAt: decidedAt(path, d),
                certUrl: url,
                certId: d.number,
              })}
              target="_blank"
              rel="noopener noreferrer"
            >
              {t('documents.linkedIn.add')}
            </Button>
          )}
        </Group>
        <Text size="xs" aria-live="polite">
          {clipboard.copied ? t('documents.copiedText', { url }) : clipboard.error ? t('documents.copyFailed', { url }) : ''}
        </Text>
        {downloadError && (
          <Alert color="red.9" variant="outline" role="alert" p="xs">
            <Text size="sm">{downloadError}</Text>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
