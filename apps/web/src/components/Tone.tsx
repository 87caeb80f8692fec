import { Badge, BadgeProps } from '@mantine/core';
import React, { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type Tone = 'green' | 'red' | 'blue' | 'teal' | 'gray' | 'orange' | 'violet';

/**
 * A status as a badge tinted with its colour, its text near black: even a colour's darkest shade on its
 * own tint stays under AA contrast (3.8:1 for green), dark text on it is well above (RGAA).
 */
export function ToneBadge({ tone, children, ...props }: { tone: Tone; children: ReactNode } & Omit<BadgeProps, 'color' | 'variant' | 'c'>) {
  return (
    <Badge
      color={tone}
      variant="light"
      style={{ '--badge-color': 'var(--mantine-color-dark-9)', '--badge-bg': `var(--mantine-color-${tone}-1)` } as React.CSSProperties}
      {...props}
    >
      {children}
    </Badge>
  );
}

/** An assessment's outcome as badges: passed or failed, then corrected and voided where it was. */
export function AssessmentBadges({ passed, corrected, voided }: { passed: boolean; corrected: boolean; voided?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <ToneBadge size="xs" tone={passed ? 'green' : 'red'}>
        {passed ? t('path.passed') : t('path.failed')}
      </ToneBadge>{' '}
      {corrected && (
        <ToneBadge size="xs" tone="orange">
          {t('path.corrected')}
        </ToneBadge>
      )}
      {voided && (
        <ToneBadge size="xs" tone="red">
          {t('path.voided')}
        </ToneBadge>
      )}
    </>
  );
}
