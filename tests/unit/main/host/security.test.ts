import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { resolveAppFile } from '../../../../src/main/host/app-files';
import { buildCsp, hubConnectOrigins, sipConnectOrigin } from '../../../../src/main/host/csp';
import {
  findDeepLink,
  isDeskUrl,
  isPermissionAllowed,
  safeExternalUrl,
} from '../../../../src/main/host/trust';

describe('CSP', () => {
  it('lets the desk connect only to its hubs (http and ws origins) and the SIP WebSocket on their hosts', () => {
    const csp = buildCsp({ hubUrls: ['https://hub.example:8443/desk/', 'http://10.0.0.5:7411'] });
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'));
    expect(connect).toBe(
      "connect-src 'self' https://hub.example:8443 wss://hub.example:8443 wss://hub.example:* http://10.0.0.5:7411 ws://10.0.0.5:7411 ws://10.0.0.5:*",
    );
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('names the SIP servers the hubs named, on other hosts, and nothing that is not a ws(s) origin', () => {
    const csp = buildCsp({
      hubUrls: ['https://hub.example:8443'],
      sipOrigins: [
        'wss://pbx.example:8089',
        'https://evil.example',
        'wss://*',
        "wss://a.example 'unsafe-eval'",
      ],
    });
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'));
    expect(connect).toBe(
      "connect-src 'self' https://hub.example:8443 wss://hub.example:8443 wss://hub.example:* wss://pbx.example:8089",
    );
  });

  it('ignores hub URLs that are not http(s)', () => {
    expect(hubConnectOrigins('javascript:alert(1)')).toEqual([]);
    expect(hubConnectOrigins('not a url')).toEqual([]);
    expect(sipConnectOrigin('javascript:alert(1)')).toBeUndefined();
    expect(sipConnectOrigin('https://[::1]:7300')).toBe('wss://[::1]:*');
  });
});

describe('trust decisions', () => {
  it('trusts only app://desk and the dev server as IPC senders', () => {
    expect(isDeskUrl('app://desk/index.html')).toBe(true);
    expect(isDeskUrl('app://evil/index.html')).toBe(false);
    expect(isDeskUrl('https://hub.example/desk/')).toBe(false);
    expect(isDeskUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isDeskUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isDeskUrl(undefined)).toBe(false);
  });

  it('opens only plain https links externally', () => {
    expect(safeExternalUrl('https://ieum.example/help')).toBe('https://ieum.example/help');
    expect(safeExternalUrl('http://ieum.example/')).toBeNull();
    expect(safeExternalUrl('file:///etc/passwd')).toBeNull();
    expect(safeExternalUrl('https://user:pw@ieum.example/')).toBeNull();
    expect(safeExternalUrl('javascript:alert(1)')).toBeNull();
  });

  it('grants microphone (not camera, not anything else) to the desk only', () => {
    expect(isPermissionAllowed('media', 'app://desk/index.html', { mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionAllowed('media', 'app://desk/index.html', { mediaTypes: ['audio', 'video'] })).toBe(
      false,
    );
    expect(isPermissionAllowed('media', 'https://evil.example/', { mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed('geolocation', 'app://desk/index.html', {})).toBe(false);
    expect(isPermissionAllowed('speaker-selection', 'app://desk/index.html', {})).toBe(true);
  });

  it('finds tel:/sip: links in a command line', () => {
    expect(findDeepLink(['/opt/ieum/ieum', '--flag', 'tel:+82-2-1234-5678'])).toBe('tel:+82-2-1234-5678');
    expect(findDeepLink(['ieum', 'sip:agent@pbx.example'])).toBe('sip:agent@pbx.example');
    expect(findDeepLink(['ieum', 'https://x', 'tel:<script>'])).toBeNull();
  });
});

describe('app:// file mapping', () => {
  const root = resolve('/opt/ieum/renderer');
  it('maps desk URLs into the renderer folder', () => {
    expect(resolveAppFile(root, 'app://desk/')).toBe(resolve(root, 'index.html'));
    expect(resolveAppFile(root, 'app://desk/assets/index.js?x=1')).toBe(resolve(root, 'assets/index.js'));
  });

  it('refuses other hosts and traversal', () => {
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://desk/..%2F..%2Fetc%2Fpasswd')).toBeNull();
    // The URL parser folds an encoded `..` at the root; it still cannot leave the folder.
    expect(resolveAppFile(root, 'app://desk/%2e%2e/secret')).toBe(resolve(root, 'secret'));
    expect(resolveAppFile(root, 'app://desk/a/..%5C..%5C..%5Cetc')).toSatisfy(
      (file: string | null) => file === null || file.startsWith(root),
    );
    expect(resolveAppFile(root, 'https://desk/index.html')).toBeNull();
  });
});
