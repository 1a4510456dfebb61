/** Fetches this agent's time-limited SIP credentials from the hub. */
import { API_PREFIX } from '@shared/api';
import { fail, ok, type Result } from '@shared/errors';
import { SipCredentials } from '@shared/telephony';
import { errorFromResponse } from '@renderer/services/api/api-client';

export async function fetchSipCredentials(hubUrl: string, token: string): Promise<Result<SipCredentials>> {
  let response: Response;
  try {
    response = await fetch(`${hubUrl}${API_PREFIX}/sip/credentials`, {
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return fail('UNAVAILABLE', 'hub unreachable');
  }
  if (!response.ok) return errorFromResponse(response);
  const parsed = SipCredentials.safeParse(await response.json().catch(() => null));
  return parsed.success ? ok(parsed.data) : fail('INTERNAL', 'unexpected SIP credentials from hub');
}
