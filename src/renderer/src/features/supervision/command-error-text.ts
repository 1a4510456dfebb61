/** A supervisor command's error in words that fit it (e.g. why a pick was refused), else the general text. */
import type { TFunction } from 'i18next';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';

export type SupervisorCommand = 'forceState' | 'pick' | 'reassign';

export function commandErrorText(t: TFunction, command: SupervisorCommand, error: IeumError): string {
  return t(`supervision.errors.${command}.${error.code}`, { defaultValue: errorText(t, error) });
}
