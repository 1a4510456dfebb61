/** Sign-in: hub address, username, password. Errors are shown in the user's language. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { defaultHubUrl, normalizeHubUrl } from '@renderer/services/api/hub-url';
import {
  lastHubUrl,
  prepareHub,
  signIn,
  switchTarget,
  takePendingUsername,
} from '@renderer/services/desk-session';
import { LanguageSwitcher } from '@renderer/features/settings/LanguageSwitcher';

export function LoginPage() {
  const { t } = useTranslation();
  const ids = { hub: useId(), hubHint: useId(), username: useId(), password: useId(), error: useId() };
  // A center chosen in the switcher wins over the hub that served the page.
  const [hubUrl, setHubUrl] = useState(() => switchTarget() ?? defaultHubUrl(window.location));
  const [pendingUsername] = useState(takePendingUsername);
  const [username, setUsername] = useState(pendingUsername ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    void lastHubUrl().then((saved) => {
      if (active && saved) setHubUrl((current) => current || saved);
    });
    return () => {
      active = false;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!normalizeHubUrl(hubUrl)) {
      setError(t('errors.INVALID_HUB_URL'));
      return;
    }
    setBusy(true);
    setError(null);
    if ((await prepareHub(hubUrl, username.trim())) === 'reloading') return;
    const result = await signIn(hubUrl, username.trim(), password);
    setBusy(false);
    if (!result.ok) {
      setError(errorText(t, result.error as IeumError));
      setPassword('');
    }
  };

  return (
    <main className="login">
      <div className="login__lang">
        <LanguageSwitcher />
      </div>
      <form
        className="login__card"
        onSubmit={(e) => void submit(e)}
        aria-describedby={error ? ids.error : undefined}
      >
        <div className="login__brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <p className="login__product">{t('app.name')}</p>
            <p className="login__tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <h1 className="login__heading">{t('login.heading')}</h1>

        <label htmlFor={ids.hub}>{t('login.hubUrl')}</label>
        <input
          id={ids.hub}
          type="url"
          inputMode="url"
          autoComplete="url"
          value={hubUrl}
          onChange={(e) => setHubUrl(e.target.value)}
          aria-describedby={ids.hubHint}
          required
        />
        <p id={ids.hubHint} className="hint">
          {t('login.hubUrlHint')}
        </p>

        <label htmlFor={ids.username}>{t('login.username')}</label>
        <input
          id={ids.username}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoFocus={pendingUsername === null}
        />

        <label htmlFor={ids.password}>{t('login.password')}</label>
        <input
          id={ids.password}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          autoFocus={pendingUsername !== null}
        />

        {pendingUsername !== null && !error && (
          <p className="form-note" role="status">
            {t('login.hubSaved')}
          </p>
        )}
        {error && (
          <p id={ids.error} role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
