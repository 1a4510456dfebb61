/**
 * One click to another center: the profiles saved on this desk (several hubs
 * for a manager of several centers). Switching signs in with the token kept
 * for that hub, or opens the login form with its address filled in; the
 * choice is remembered for the next start.
 *
 * HQ is just another profile: signing in at an HQ hub saves it (labelled with
 * HQ's own site, e.g. 본사) beside the centers, and switching to it shows the
 * group board instead of the agent panes.
 *
 * In a browser (`/desk/`) the profiles live in localStorage, so every tab of
 * that page's origin lists the same centers, but tokens live in
 * sessionStorage: each tab has its own sign-ins. Switching in a tab that never
 * signed in to that hub opens the login form with its address filled in; after
 * that, switching back and forth in the tab is one click. A hub other than the
 * one serving the page must allow the page's origin (IEUM_CORS_ORIGINS).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SiteProfile } from '@shared/host-api';
import { getHost } from '@renderer/host/get-host';
import { switchSite } from '@renderer/services/desk-session';
import { useSessionStore } from '@renderer/stores/session';

export function SiteSwitcher() {
  const { t } = useTranslation();
  const id = useId();
  const hubUrl = useSessionStore((s) => s.hubUrl);
  const [profiles, setProfiles] = useState<SiteProfile[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let active = true;
    void getHost()
      .getSettings()
      .then((settings) => {
        if (active && settings.ok) setProfiles(settings.value.profiles);
      });
    return () => {
      active = false;
    };
  }, [hubUrl]);

  if (profiles.length < 2) return null;
  const current = profiles.find((p) => p.hubUrl === hubUrl);
  return (
    <div className="site-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('sites.switcher')}
      </label>
      <select
        id={id}
        value={current?.id ?? ''}
        disabled={busy}
        onChange={(event) => {
          const next = profiles.find((p) => p.id === event.target.value);
          if (!next || next.hubUrl === hubUrl) return;
          setBusy(true);
          void switchSite(next.id).finally(() => setBusy(false));
        }}
      >
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
    </div>
  );
}
