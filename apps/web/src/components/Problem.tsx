import { Alert, Loader, LoaderProps, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';

/** Something is on its way: announced to screen readers as a status, named in the person's language. */
export function Loading(props: LoaderProps) {
  const { t } = useTranslation();
  return <Loader role="status" aria-label={t('app.loading')} {...props} />;
}

/**
 * A query's state as a person reads it: loading, or an error said in their language. The api's
 * problem+json `code` picks the sentence; its `detail` (in English, for developers) is the fallback.
 */
export function QueryState({ isLoading, error }: { isLoading: boolean; error: unknown }) {
  const { t } = useTranslation();
  if (isLoading) return <Loading />;
  if (!error) return null;
  const message = error instanceof ApiProblem ? t(`errors.codes.${error.code}`, { defaultValue: error.detail }) : String(error);
  return (
    <Alert color="red.9" variant="outline" title={t('errors.title')} role="alert">
      <Stack gap={4}>
        <Text size="sm">{message}</Text>
        {error instanceof ApiProblem && (
          <Text size="xs" ff="monospace">
            {error.code}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
