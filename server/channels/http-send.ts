/**
 * One HTTP call to a provider, with its failures sorted the way the
 * dispatcher needs them: a timeout, a dropped connection or a 5xx is worth
 * another try later; a 4xx is the provider saying no, which another try
 * will not change.
 */
import { SendFailure } from './channel-adapter';

export async function providerCall<T>(
  url: string,
  init: RequestInit & { signal: AbortSignal },
  what: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    throw new SendFailure(
      'PROVIDER_UNAVAILABLE',
      true,
      `${what}: ${timedOut ? 'timed out' : `unreachable (${e.message})`}`,
    );
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500 || res.status === 429) {
    throw new SendFailure('PROVIDER_UNAVAILABLE', true, `${what}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    throw new SendFailure('PROVIDER_REJECTED', false, `${what}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SendFailure('PROVIDER_UNAVAILABLE', true, `${what}: answer is not JSON`);
  }
}
