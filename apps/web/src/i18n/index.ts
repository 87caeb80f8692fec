import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';

/** French first; English second. Every string a person reads goes through here. */
export const LANGUAGES = ['fr', 'en'] as const;
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('jalon.language') : null;

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: stored === 'en' ? 'en' : 'fr',
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
});

i18n.on('languageChanged', (language) => {
  localStorage.setItem('jalon.language', language);
  document.documentElement.lang = language;
});

export default i18n;
