/**
 * Where the desk looks for updates: the `/updates/` folder of the hub it
 * signs in to (the hub serves what IT places in `<dataDir>/updates`). No
 * update ever comes from the internet.
 */
export function updateFeedUrl(hubUrl: string | null | undefined): string | null {
  if (!hubUrl) return null;
  try {
    const url = new URL(hubUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}/updates/`;
  } catch {
    return null;
  }
}
