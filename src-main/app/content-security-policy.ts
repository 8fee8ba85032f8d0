// One Content-Security-Policy for the UI, whichever way it is served: Electron (IPC only, no socket)
// or browser mode (its own WebSocket bridge). Nothing inline, nothing from the network.
export function contentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ["connect-src 'self'", ...extraConnectSources].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
