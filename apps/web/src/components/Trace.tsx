import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Where a fact is in the log: its event id and position, each copyable, for an auditor's report. */
export function Trace({ eventId, position }: { eventId: string; position: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      {[
        [t('provenance.eventId'), eventId],
        [t('provenance.position'), position],
      ].map(([label, value]) => (
        <Group key={label} gap={4} wrap="nowrap">
          <Text size="xs" ff="monospace">
            {label} {value}
          </Text>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('provenance.copied') : t('provenance.copy')}>
                <ActionIcon variant="subtle" size="xs" onClick={copy} aria-label={`${t('provenance.copy')} ${label} ${value}`}>
                  {copied ? <CheckIcon /> : <CopyIcon />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      ))}
    </Group>
  );
}

const CopyIcon = () => (
  <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <rect x="9" y="9" width="13" height="13" rx="2" />
    <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
  </svg>
);

const CheckIcon = () => (
  <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <path d="M20 6 9 17l-5-5" />
  </svg>
);
