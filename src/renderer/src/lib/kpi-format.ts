/**
 * The KPIs a wallboard shows, in order, formatted for people: counts as
 * numbers, shares (0–1 on the wire) as percent, times as mm:ss. A figure the
 * period cannot give (nothing answered yet) is `null` and shows as a dash.
 */
import type { Kpis } from '@shared/kpis';
import { formatDuration } from './use-now';

export const KPI_KEYS = [
  'offered',
  'answered',
  'abandoned',
  'serviceLevel',
  'asa',
  'aht',
  'abandonRate',
  'occupancy',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export interface KpiRow {
  key: KpiKey;
  /** The text to show; null when the hub had no figure. */
  value: string | null;
}

/** 0.857 → "85.7%" (in the language's own style); null stays null. */
export function formatRate(rate: number | null, language: string): string | null {
  if (rate === null) return null;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

export function formatCount(count: number, language: string): string {
  return new Intl.NumberFormat(language).format(count);
}

/** Seconds as a duration ("00:42", "1:01:15"); null stays null. */
export function formatSeconds(seconds: number | null): string | null {
  return seconds === null ? null : formatDuration(Math.round(seconds));
}

export function kpiRows(kpis: Kpis, language: string): KpiRow[] {
  const values: Record<KpiKey, string | null> = {
    offered: formatCount(kpis.offered, language),
    answered: formatCount(kpis.answered, language),
    abandoned: formatCount(kpis.abandoned, language),
    serviceLevel: formatRate(kpis.serviceLevel, language),
    asa: formatSeconds(kpis.asaSeconds),
    aht: formatSeconds(kpis.ahtSeconds),
    abandonRate: formatRate(kpis.abandonRate, language),
    occupancy: formatRate(kpis.occupancy, language),
  };
  return KPI_KEYS.map((key) => ({ key, value: values[key] }));
}
