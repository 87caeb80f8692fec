import '@mantine/dates/styles.css';
import { DatesProvider } from '@mantine/dates';
import 'dayjs/locale/fr';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The date pickers in the reader's language; loaded only with the screens that pick dates. */
export function Dates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.language }}>{children}</DatesProvider>;
}
