/** The user-facing text for a typed error, in the current language. */
import type { TFunction } from 'i18next';
import { CHANNEL_LIMIT_REASONS } from '@shared/channels';
import type { IeumError } from '@shared/errors';

export function errorText(t: TFunction, error: IeumError): string {
  // A channel limit (SMS too long, messenger session over…) says what to change.
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && (CHANNEL_LIMIT_REASONS as readonly string[]).includes(reason)) {
    const d = error.details as { limit?: number; actual?: number };
    return t(`channels.limit.${reason}`, { limit: d.limit, actual: d.actual });
  }
  return t(`errors.${error.code}`, { defaultValue: t('errors.generic', { code: error.code }) });
}
