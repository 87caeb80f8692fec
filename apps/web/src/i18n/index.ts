import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr from './fr.json';

/** French first; English second. Every string a person reads goes through here. */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr } },
  lng: 'fr',
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
});

/** Shows the console in `language`; English is downloaded the first time it is asked for (French comes with the first screen). */
export async function switchLanguage(language: Language): Promise<void> {
  if (!i18n.hasResourceBundle(language, 'translation')) {
    const { default: strings } = await import('./en.json');
    i18n.addResourceBundle(language, 'translation', strings);
  }
  await i18n.changeLanguage(language);
  localStorage.setItem('jalon.language', language);
  document.documentElement.lang = language;
}

if (typeof localStorage !== 'undefined' && localStorage.getItem('jalon.language') === 'en') void switchLanguage('en');

export default i18n;
