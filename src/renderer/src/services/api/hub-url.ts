/**
 * What the user types as hub address → the hub's origin. Paths are dropped
 * (the desk may be served from `/desk/` of the same hub); a missing scheme
 * means https.
 */
export function normalizeHubUrl(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The default hub: the page's own origin when the hub serves the desk at `/desk/`. */
export function defaultHubUrl(location: { protocol: string; origin: string }): string {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : '';
}
