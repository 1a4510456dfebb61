/**
 * i18next set-up. Language: `?lang=` in the URL, else the saved setting, else
 * Korean. Every UI string goes through `t()`.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { Language } from '@shared/host-api';
import en from './en';
import ko from './ko';

export const LANGUAGES: readonly Language[] = Language.options;

/** The language to start in: an explicit `?lang=` wins over the saved setting. */
export function pickLanguage(search: string, saved: Language | undefined): Language {
  const fromUrl = Language.safeParse(new URLSearchParams(search).get('lang'));
  if (fromUrl.success) return fromUrl.data;
  return saved ?? 'ko';
}

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { ko: { translation: ko }, en: { translation: en } },
    lng: language,
    fallbackLng: 'ko',
    supportedLngs: LANGUAGES,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const applyToDocument = (): void => {
    document.documentElement.lang = i18next.language;
    // Keep a badge prefix such as "(3) " that the browser host may have set.
    const badge = /^\(\d+\) /.exec(document.title)?.[0] ?? '';
    document.title = badge + i18next.t('app.name');
  };
  applyToDocument();
  i18next.on('languageChanged', applyToDocument);
  return i18next;
}

export { i18next };
