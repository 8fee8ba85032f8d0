// Every visible string lives in ru.json and en.json. Russian is the default.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ru from './ru.json';

function savedLanguage(): 'ru' | 'en' {
  try {
    return localStorage.getItem('prilavok.lang') === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

void i18n.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: savedLanguage(),
  fallbackLng: 'ru',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18n;
