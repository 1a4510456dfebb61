import { describe, expect, it } from 'vitest';
import { formatRate, formatSeconds, KPI_KEYS, kpiRows } from '@renderer/lib/kpi-format';
import { kpisFixture } from '../fixtures/kpis';

describe('KPI formatting', () => {
  it('shows shares as percent with at most one decimal, in the language', () => {
    expect(formatRate(0.857, 'ko')).toBe('85.7%');
    expect(formatRate(1, 'en')).toBe('100%');
    expect(formatRate(0, 'en')).toBe('0%');
    expect(formatRate(null, 'ko')).toBeNull();
  });

  it('shows seconds as a rounded duration', () => {
    expect(formatSeconds(17.6)).toBe('00:18');
    expect(formatSeconds(245.4)).toBe('04:05');
    expect(formatSeconds(3675)).toBe('1:01:15');
    expect(formatSeconds(null)).toBeNull();
  });

  it('lists the eight board figures in order, a missing figure as null', () => {
    const rows = kpiRows(kpisFixture({ asaSeconds: null, occupancy: null }), 'en');
    expect(rows.map((r) => r.key)).toEqual([...KPI_KEYS]);
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      offered: '1,234',
      answered: '1,100',
      abandoned: '120',
      serviceLevel: '85.7%',
      asa: null,
      aht: '04:05',
      abandonRate: '9.7%',
      occupancy: null,
    });
  });
});
