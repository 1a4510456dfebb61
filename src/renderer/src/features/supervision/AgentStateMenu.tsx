/**
 * On the wallboard, per agent: "Change state" opens a menu to set them Ready,
 * Not ready (with a reason) or Offline (`agent.forceState`). A menu button
 * in the WAI-ARIA pattern: arrows move, Escape and Tab close, focus returns
 * to the button.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { forceAgentState, type ForcedState } from '@renderer/services/supervisor-commands';
import { selectNotReadyReasons, useAgentStore } from '@renderer/stores/agent';
import { selectError, selectPending, useSupervisionStore } from '@renderer/stores/supervision';
import { commandErrorText } from './command-error-text';

interface Choice {
  key: string;
  label: string;
  state: ForcedState;
  reasonCodeId: string | null;
}

export function AgentStateMenu({ agentId, name }: { agentId: string; name: string }) {
  const { t } = useTranslation();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const reasons = useAgentStore(useShallow(selectNotReadyReasons));
  const pending = useSupervisionStore(selectPending(`agent:${agentId}`));
  const error = useSupervisionStore(selectError(`agent:${agentId}`));

  const choices: Choice[] = [
    { key: 'ready', label: t('supervision.setReady'), state: 'ready', reasonCodeId: null },
    ...(reasons.length === 0
      ? [
          {
            key: 'not_ready',
            label: t('supervision.setNotReady'),
            state: 'not_ready' as const,
            reasonCodeId: null,
          },
        ]
      : reasons.map((r) => ({
          key: `not_ready:${r.id}`,
          label: t('supervision.setNotReadyWith', { reason: r.label }),
          state: 'not_ready' as const,
          reasonCodeId: r.id,
        }))),
    { key: 'offline', label: t('supervision.setOffline'), state: 'offline', reasonCodeId: null },
  ];

  const items = (): HTMLElement[] =>
    Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  // The first item takes focus as the menu opens; a click elsewhere closes it.
  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => list[(to + list.length) % list.length]?.focus();
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') close(true);
    else if (event.key === 'Tab') close(false);
    else return;
    if (event.key !== 'Tab') event.preventDefault();
  };

  const choose = (choice: Choice) => {
    close(true);
    void forceAgentState(agentId, choice.state, choice.reasonCodeId);
  };

  return (
    <div className="state-menu">
      <button
        ref={buttonRef}
        type="button"
        className="button button--quiet button--small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={t('supervision.changeStateFor', { name })}
        disabled={pending}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {pending ? t('supervision.changing') : t('supervision.changeState')}
      </button>
      {open && (
        <ul
          ref={menuRef}
          id={menuId}
          role="menu"
          className="state-menu__list"
          aria-label={t('supervision.stateMenu', { name })}
          onKeyDown={onMenuKeyDown}
        >
          {choices.map((choice) => (
            <li key={choice.key} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="state-menu__item"
                onClick={() => choose(choice)}
              >
                {choice.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {commandErrorText(t, 'forceState', error)}
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => useSupervisionStore.getState().dismissError(`agent:${agentId}`)}
          >
            {t('supervision.dismiss')}
          </button>
        </p>
      )}
    </div>
  );
}
