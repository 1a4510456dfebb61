/** The "choose an agent" select of the supervisor's assign and reassign forms. */
import { useTranslation } from 'react-i18next';
import type { NamedAgent } from '@renderer/stores/wallboard';

interface Props {
  label: string;
  placeholder: string;
  agents: readonly NamedAgent[];
  value: string;
  disabled: boolean;
  onChange(agentId: string): void;
}

export function AgentSelect({ label, placeholder, agents, value, disabled, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled || agents.length === 0}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="" disabled>
        {agents.length === 0 ? t('supervision.waitQueue.noAgents') : placeholder}
      </option>
      {agents.map((a) => (
        <option key={a.agentId} value={a.agentId}>
          {a.name}
        </option>
      ))}
    </select>
  );
}
