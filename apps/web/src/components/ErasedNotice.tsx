import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatParis } from './paris-time';

/**
 * Where a candidate's personal data was, once their DPO erased it (R14): what is gone for
 * everyone, and what stands — the path, its decisions, the documents' existence.
 */
export function ErasedNotice({ erasedAt }: { erasedAt: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Alert color="gray.9" variant="outline" title={t('erasure.notice.title', { date: formatParis(erasedAt, i18n.language, { dateStyle: 'long' }) })}>
      <Text size="sm">{t('erasure.notice.text')}</Text>
    </Alert>
  );
}
