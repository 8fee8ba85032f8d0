import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY, isAllowedNavigation, isOwnIndex, isTrustedSender, parseShellArgs, secureWebPreferences,
  withContentSecurityPolicy,
} from '../../../src-main/electron/security-options';

const indexUrl = 'file:///opt/prilavok/resources/app.asar/out/renderer/index.html';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/opt/prilavok/out/electron/preload.cjs');

  it('isolates and sandboxes the renderer with no Node anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and experimental surfaces off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
  });

  it('loads the given preload and sets nothing else', () => {
    expect(prefs.preload).toBe('/opt/prilavok/out/electron/preload.cjs');
    expect(Object.keys(prefs).sort()).toEqual([
      'allowRunningInsecureContent', 'contextIsolation', 'experimentalFeatures', 'nodeIntegration',
      'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'sandbox', 'spellcheck',
      'webSecurity', 'webviewTag',
    ]);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values.join(' ')];
  }));

  it('allows only the app itself and never inline or eval', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it('replaces any policy a response carried, whatever its letter case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app page itself, with a query or fragment for in-app routing', () => {
    expect(isAllowedNavigation(indexUrl, indexUrl)).toBe(true);
    expect(isAllowedNavigation(`${indexUrl}#/sale`, indexUrl)).toBe(true);
    expect(isAllowedNavigation(`${indexUrl}?screen=journal`, indexUrl)).toBe(true);
  });

  it('denies every other place, scheme and file', () => {
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8080/index.html',
      'file:///etc/passwd',
      'file:///opt/prilavok/resources/app.asar/out/renderer/other.html',
      'file:///opt/prilavok/resources/app.asar/out/renderer/index.html.evil',
      'file://evil-host/opt/prilavok/resources/app.asar/out/renderer/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAllowedNavigation(url, indexUrl), url).toBe(false);
    }
  });

  it('is not fooled by dot segments or encoded separators', () => {
    expect(isAllowedNavigation('file:///opt/prilavok/resources/app.asar/out/renderer/x/../index.html', indexUrl)).toBe(true);
    expect(isAllowedNavigation('file:///opt/prilavok/resources/app.asar/out/renderer/../renderer2/index.html', indexUrl)).toBe(false);
    expect(isAllowedNavigation('file:///opt/prilavok/resources/app.asar/out/renderer%2Findex.html', indexUrl)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the main frame of our own page', () => {
    expect(isTrustedSender(indexUrl, indexUrl)).toBe(true);
    expect(isTrustedSender(`${indexUrl}#/kiosk`, indexUrl, true)).toBe(true);
  });

  it('refuses a sub-frame even when it shows our page', () => {
    expect(isTrustedSender(indexUrl, indexUrl, false)).toBe(false);
  });

  it('refuses foreign pages, missing frames and garbage', () => {
    expect(isTrustedSender('https://evil.example/index.html', indexUrl)).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html', indexUrl)).toBe(false);
    expect(isTrustedSender(null, indexUrl)).toBe(false);
    expect(isTrustedSender(undefined, indexUrl)).toBe(false);
    expect(isTrustedSender('::::', indexUrl)).toBe(false);
    expect(isOwnIndex(indexUrl, 'not a url')).toBe(false);
  });
});

describe('parseShellArgs', () => {
  it('reads the data dir, kiosk and demo flags in either spelling and ignores the rest', () => {
    expect(parseShellArgs(['/app', '--data-dir', '/var/lib/prilavok', '--kiosk', '--no-sandbox'])).toEqual({
      dataDir: '/var/lib/prilavok', kiosk: true, demo: false,
    });
    expect(parseShellArgs(['--data-dir=/srv/lane2', '--demo'])).toEqual({ dataDir: '/srv/lane2', kiosk: false, demo: true });
    expect(parseShellArgs([])).toEqual({ dataDir: null, kiosk: false, demo: false });
    expect(parseShellArgs(['--data-dir'])).toEqual({ dataDir: null, kiosk: false, demo: false });
  });
});
