/** The user-facing text for a typed error, in the current language. */
import type { TFunction } from 'i18next';
import type { IeumError } from '@shared/errors';

export function errorText(t: TFunction, error: IeumError): string {
  return t(`errors.${error.code}`, { defaultValue: t('errors.generic', { code: error.code }) });
}
