// GET /admin: one read-only HTML page for the head office's operator — lanes, last contact, backlog,
// parked rows, documents, conflicts, revoked tokens. Behind the admin token (hq serve --admin-token
// or HQ_ADMIN_TOKEN) as HTTP Basic (any user name, the token as password: a browser asks for it) or
// Bearer. No script at all, one inline style allowed by its hash: CSP default-src 'none'.
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Sql } from './db';
import { laneStatuses, recentConflicts } from './lanes';

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-bottom:24px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}.bad{color:#b00020;font-weight:600}.muted{color:#888}`;

export const ADMIN_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** Minimum admin token length: it guards every lane's status; a short one is refused at start. */
export const MIN_ADMIN_TOKEN_CHARS = 16;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when the request carries the admin token (Basic password or Bearer), compared in constant time. */
export function adminAuthorised(req: http.IncomingMessage, adminToken: string): boolean {
  const auth = req.headers.authorization ?? '';
  let given: string | null = null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (bearer) given = bearer[1]!;
  else if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return given !== null && timingSafeEqual(digest(given), digest(adminToken));
}

const escapeHtml = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const cell = (v: unknown, cls?: string) => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</td>`;

export async function renderAdminPage(db: Sql, now: Date = new Date()): Promise<string> {
  const lanes = await laneStatuses(db);
  const conflicts = await recentConflicts(db, 50);
  const laneRows = lanes.map((l) => {
    const ageMin = l.lastContactAt ? Math.floor((now.getTime() - Date.parse(l.lastContactAt)) / 60_000) : null;
    return `<tr>${cell(l.storeId)}${cell(l.name)}${cell(l.id, 'muted')}
      ${cell(l.lastContactAt ? `${l.lastContactAt} (${ageMin} min)` : 'never', ageMin === null || ageMin > 60 ? 'bad' : undefined)}
      ${cell(l.reportedBacklog ?? '?', (l.reportedBacklog ?? 0) > 1000 ? 'bad' : undefined)}${cell(l.reportedParked ?? '?', (l.reportedParked ?? 0) > 0 ? 'bad' : undefined)}
      ${cell(l.lastSeq)}${cell(l.documents)}${cell(l.conflicts, l.conflicts > 0 ? 'bad' : undefined)}${cell(l.revokedAt ? `revoked ${l.revokedAt}` : 'active', l.revokedAt ? 'muted' : undefined)}</tr>`;
  }).join('\n');
  const conflictRows = conflicts.map((c) => `<tr>${cell(c.receivedAt)}${cell(c.storeId)}${cell(c.laneName)}${cell(c.documentId)}${cell(c.reason)}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Prilavok head office</title><style>${STYLE}</style></head>
<body>
<h1>Lanes</h1>
<table><thead><tr><th>store</th><th>lane</th><th>id</th><th>last contact</th><th>backlog</th><th>parked</th><th>last seq</th><th>documents</th><th>conflicts</th><th>token</th></tr></thead>
<tbody>
${laneRows || '<tr><td colspan="10">no lanes registered (hq lane add)</td></tr>'}
</tbody></table>
<h1>Recent conflicts</h1>
<table><thead><tr><th>received</th><th>store</th><th>lane</th><th>document</th><th>reason</th></tr></thead>
<tbody>
${conflictRows || '<tr><td colspan="5">none</td></tr>'}
</tbody></table>
<p class="muted">Backlog and parked are what each lane reported with its last batch. Generated ${escapeHtml(now.toISOString())}.</p>
</body></html>`;
}
