/** Fetches this agent's time-limited SIP credentials from the hub. */
import { API_PREFIX } from '@shared/api';
import { type Result } from '@shared/errors';
import { SipCredentials } from '@shared/telephony';
import { hubJson } from '@renderer/services/api/api-client';

export function fetchSipCredentials(hubUrl: string, token: string): Promise<Result<SipCredentials>> {
  return hubJson(`${hubUrl}${API_PREFIX}/sip/credentials`, token, SipCredentials, { cache: 'no-store' });
}
