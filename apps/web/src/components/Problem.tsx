import { Alert, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';

/** A query's state as a person reads it: loading, an error in plain words, or nothing. */
export function QueryState({ isLoading, error }: { isLoading: boolean; error: unknown }) {
  const { t } = useTranslation();
  if (isLoading) return <Loader aria-label="…" />;
  if (!error) return null;
  const detail = error instanceof ApiProblem ? error.detail : String(error);
  return (
    <Alert color="red" title={t('errors.generic', { detail: '' }).replace(/\s*:\s*$/, '')} role="alert">
      <Stack gap={4}>
        <Text size="sm">{detail}</Text>
        {error instanceof ApiProblem && (
          <Text size="xs" c="dimmed">
            {error.code}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
