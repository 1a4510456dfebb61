/**
 * What the agent typed or clicked (`010-1234-5678`, `agent2`, `tel:+8210…`,
 * `sip:x@y`) as a SIP URI in the agent's domain. Returns null when there is
 * nothing dialable in it.
 */
export function dialTarget(input: string, domain: string): string | null {
  let target = input.trim();
  if (!target) return null;
  if (/^sips?:/i.test(target)) return target.includes('@') ? target : `${target}@${domain}`;
  target = target.replace(/^tel:/i, '').replace(/^\/\//, '');
  // Visual separators in phone numbers are not part of the number.
  if (/^[+\d\s().-]+$/.test(target)) target = target.replace(/[\s().-]/g, '');
  if (!/^[+\w.*#-]+$/.test(target)) return null;
  return `sip:${encodeURIComponent(target).replace(/%2B/g, '+').replace(/%23/g, '%23')}@${domain}`;
}

/** The user part of a SIP URI, for display: `sip:agent2@ieum.local` → `agent2`. */
export function remoteParty(uri: string): string {
  const m = /^sips?:([^@;>]+)/i.exec(uri);
  return m ? decodeURIComponent(m[1]!) : uri;
}
