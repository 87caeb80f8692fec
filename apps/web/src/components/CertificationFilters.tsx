import { Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';

type Filter = 'referentialId' | 'version' | 'cohort';

/**
 * The certification version and cohort a list is narrowed to, as the enrollments list and the
 * jury's list both offer them: picking a version sets the référentiel and its version together,
 * the cohort is taken on leaving the field or on Enter.
 */
export function CertificationFilters({
  referentials,
  referentialId,
  version,
  cohort,
  set,
  widths,
}: {
  referentials: readonly components['schemas']['ReferentialSummary'][] | undefined;
  referentialId?: string | null;
  version?: string | null;
  cohort?: string | null;
  set: (changes: Partial<Record<Filter, string | null>>) => void;
  widths: { certification: number; cohort: number };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Select
        label={t('enrollments.certification')}
        placeholder={t('enrollments.anyCertification')}
        clearable
        w={widths.certification}
        data={(referentials ?? []).map((r) => ({ value: `${r.referential}@${r.version}`, label: `${r.title} (v${r.version})` }))}
        value={referentialId && version ? `${referentialId}@${version}` : null}
        onChange={(value) => {
          const [chosenReferential, chosenVersion] = value ? value.split('@') : [null, null];
          set({ referentialId: chosenReferential, version: chosenVersion });
        }}
      />
      <TextInput
        label={t('enrollments.cohort')}
        w={widths.cohort}
        defaultValue={cohort ?? ''}
        key={`cohort-${cohort ?? ''}`}
        onBlur={(e) => set({ cohort: e.currentTarget.value.trim() || null })}
        onKeyDown={(e) => e.key === 'Enter' && set({ cohort: e.currentTarget.value.trim() || null })}
      />
    </>
  );
}
