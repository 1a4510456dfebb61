/**
 * The signed-in desk: top bar, then inbox, softphone and customer panes; an
 * offer floats over them; supervisors also get the wallboard. At an HQ hub
 * the desk is the group board instead (HQ takes no work and no calls).
 */
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AgentStateControl } from '@renderer/features/agent/AgentStateControl';
import { CustomerPane } from '@renderer/features/customer/CustomerPane';
import { HqBoardPane } from '@renderer/features/hq/HqBoardPane';
import { InboxPane } from '@renderer/features/inbox/InboxPane';
import { OfferBanner } from '@renderer/features/offers/OfferBanner';
import { OfferNotice } from '@renderer/features/offers/OfferNotice';
import { SettingsButton } from '@renderer/features/settings/SettingsDialog';
import { SoftphonePane } from '@renderer/features/softphone/SoftphonePane';
import { SiteSwitcher } from '@renderer/features/sites/SiteSwitcher';
import { WallboardPane } from '@renderer/features/wallboard/WallboardPane';
import { signOut } from '@renderer/services/desk-session';
import { WALLBOARD_ROLES } from '@renderer/services/wallboard-loader';
import { selectWaitingCount, useInboxStore } from '@renderer/stores/inbox';
import { selectIsHq, useSessionStore } from '@renderer/stores/session';
import { getHost } from '@renderer/host/get-host';
import { useAgentStore } from '@renderer/stores/agent';
import { useCallsStore } from '@renderer/stores/calls';
import { selectPendingCount, useOutboxStore } from '@renderer/stores/outbox';

export function DeskShell() {
  const { t } = useTranslation();
  const user = useSessionStore((s) => s.user);
  const site = useSessionStore((s) => s.site);
  const connection = useSessionStore((s) => s.connection);
  const ids = {
    inbox: useId(),
    softphone: useId(),
    customer: useId(),
    wallboard: useId(),
    groupBoard: useId(),
  };
  const isHq = useSessionStore(selectIsHq);
  const showWallboard = !isHq && user !== null && WALLBOARD_ROLES.includes(user.role);
  const waiting = useInboxStore(selectWaitingCount);

  // The taskbar badge (or title prefix in a browser) counts customers waiting for an answer.
  useEffect(() => {
    void getHost().setBadge(Math.min(waiting, 9999));
  }, [waiting]);
  useEffect(() => () => void getHost().setBadge(0), []);

  // The tray shows the agent's state and the waiting count; the machine stays awake during a call.
  const agentState = useAgentStore((s) => s.status?.state ?? null);
  useEffect(() => {
    void getHost().setTrayStatus({
      state: agentState,
      label: agentState ? t(`agent.states.${agentState}`) : '',
      unread: Math.min(waiting, 9999),
    });
  }, [agentState, waiting, t]);
  const callUp = useCallsStore((s) => s.active !== null);
  useEffect(() => {
    void getHost().setCallActive(callUp);
  }, [callUp]);
  const unsent = useOutboxStore(selectPendingCount);

  return (
    <div className={isHq ? 'shell shell--hq' : showWallboard ? 'shell shell--wallboard' : 'shell'}>
      <header className="topbar">
        <div className="topbar__brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1 className="topbar__title">{t('app.name')}</h1>
        </div>
        {!isHq && <AgentStateControl />}
        <nav className="topbar__tools" aria-label={t('shell.mainNav')}>
          <span className={`connection connection--${connection}`} role="status">
            <span className="connection__dot" aria-hidden="true" />
            {t(`shell.connection.${connection}`)}
          </span>
          {unsent > 0 && (
            <span className="outbox-count" role="status">
              {t('outbox.waiting', { count: unsent })}
            </span>
          )}
          <SiteSwitcher />
          <span className="topbar__user">
            {t('shell.signedInAs', { name: user?.displayName ?? '', site: site?.name ?? '' })}
          </span>
          <SettingsButton />
          <button type="button" className="button button--quiet" onClick={() => void signOut()}>
            {t('shell.logout')}
          </button>
        </nav>
      </header>
      {isHq ? (
        <main className="pane pane--group-board" aria-labelledby={ids.groupBoard}>
          <HqBoardPane headingId={ids.groupBoard} />
        </main>
      ) : (
        <main className="panes">
          <section className="pane pane--inbox" aria-labelledby={ids.inbox}>
            <InboxPane headingId={ids.inbox} />
          </section>
          <section className="pane pane--softphone" aria-labelledby={ids.softphone}>
            <SoftphonePane headingId={ids.softphone} />
          </section>
          <aside className="pane pane--customer" aria-labelledby={ids.customer}>
            <CustomerPane headingId={ids.customer} />
          </aside>
        </main>
      )}
      {showWallboard && (
        <section className="pane pane--wallboard" aria-labelledby={ids.wallboard}>
          <WallboardPane headingId={ids.wallboard} />
        </section>
      )}
      {!isHq && (
        <div className="offers-layer">
          <OfferBanner />
          <OfferNotice />
        </div>
      )}
    </div>
  );
}
