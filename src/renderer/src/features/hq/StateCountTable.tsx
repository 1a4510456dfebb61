/** Agents per state (ready, busy, wrap-up, not ready, offline), as a table with headers. */
import { useTranslation } from 'react-i18next';
import type { AgentStateName } from '@shared/domain';

/** Working states first; offline last. */
export const BOARD_STATE_ORDER: readonly AgentStateName[] = [
  'ready',
  'busy',
  'wrap_up',
  'not_ready',
  'offline',
];

export function StateCountTable({ byState }: { byState: Record<string, number> }) {
  const { t } = useTranslation();
  return (
    <table className="board-table board-table--states">
      <caption>{t('hqBoard.statesCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('hqBoard.state')}</th>
          <th scope="col">{t('hqBoard.count')}</th>
        </tr>
      </thead>
      <tbody>
        {BOARD_STATE_ORDER.map((state) => (
          <tr key={state}>
            <th scope="row">
              <span className={`wallboard__dot wallboard__dot--${state}`} aria-hidden="true" />{' '}
              {t(`agent.states.${state}`)}
            </th>
            <td>{byState[state] ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
