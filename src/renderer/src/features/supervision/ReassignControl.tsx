/**
 * In the open conversation, for supervisors: hand it to another logged-in
 * agent (`conversation.reassign`). The hub refuses an agent who is offline.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reassignConversation } from '@renderer/services/supervisor-commands';
import { WALLBOARD_ROLES } from '@renderer/services/wallboard-loader';
import { useSessionStore } from '@renderer/stores/session';
import { selectError, selectPending, useSupervisionStore } from '@renderer/stores/supervision';
import { loggedInAgents, useWallboardStore } from '@renderer/stores/wallboard';
import { AgentSelect } from './AgentSelect';
import { commandErrorText } from './command-error-text';

export function ReassignControl({
  conversationId,
  assigneeId,
}: {
  conversationId: string;
  assigneeId: string | null;
}) {
  const { t } = useTranslation();
  const user = useSessionStore((s) => s.user);
  const stats = useWallboardStore((s) => s.stats);
  const agentNames = useWallboardStore((s) => s.agentNames);
  const pending = useSupervisionStore(selectPending(`reassign:${conversationId}`));
  const error = useSupervisionStore(selectError(`reassign:${conversationId}`));
  const [agentId, setAgentId] = useState('');
  const unknownAgent = t('wallboard.unknownAgent');
  const agents = useMemo(
    () => loggedInAgents({ stats, agentNames }, unknownAgent).filter((a) => a.agentId !== assigneeId),
    [stats, agentNames, unknownAgent, assigneeId],
  );
  if (!user || !WALLBOARD_ROLES.includes(user.role)) return null;
  const chosen = agents.some((a) => a.agentId === agentId) ? agentId : '';

  return (
    <form
      className="assign reassign"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void reassignConversation(conversationId, chosen);
      }}
    >
      <AgentSelect
        label={t('supervision.reassign.agent')}
        placeholder={t('supervision.reassign.chooseAgent')}
        agents={agents}
        value={chosen}
        disabled={pending}
        onChange={setAgentId}
      />
      <button type="submit" className="button button--small" disabled={pending || !chosen}>
        {t('supervision.reassign.submit')}
      </button>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {commandErrorText(t, 'reassign', error)}
        </p>
      )}
    </form>
  );
}
