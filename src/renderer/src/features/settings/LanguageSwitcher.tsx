/** 한국어 / English. The choice is saved in the desk's settings. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Language } from '@shared/host-api';
import { getHost } from '@renderer/host/get-host';
import { LANGUAGES } from '@renderer/i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const change = (value: string) => {
    const language = Language.safeParse(value);
    if (!language.success) return;
    void i18n.changeLanguage(language.data);
    void getHost().updateSettings({ language: language.data });
  };
  return (
    <div className="lang-switch">
      <label htmlFor={id}>{t('shell.language')}</label>
      <select id={id} value={i18n.resolvedLanguage ?? i18n.language} onChange={(e) => change(e.target.value)}>
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`languages.${lng}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
