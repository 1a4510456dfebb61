import { describe, expect, it } from 'vitest';
import { canMove } from '../../../server/agents/agent-state';

describe('agent state moves an agent may make', () => {
  it('follows offline → ready ⇄ not_ready, wrap_up → ready, and never into busy', () => {
    expect(canMove('offline', 'ready')).toBe(true);
    expect(canMove('ready', 'not_ready')).toBe(true);
    expect(canMove('not_ready', 'ready')).toBe(true);
    expect(canMove('wrap_up', 'ready')).toBe(true);
    expect(canMove('ready', 'busy')).toBe(false);
    expect(canMove('busy', 'ready')).toBe(false);
    expect(canMove('offline', 'wrap_up')).toBe(false);
    expect(canMove('busy', 'offline')).toBe(true);
  });
});
