/** Human-readable text for the terminal: the same summary the JSON and the UI show. */
import type { AccountInfo, PeerRow, SessionSummary, SidecarFacts } from '../../shared/dto.js';
import { stringifyJson } from '../../shared/json.js';

export function renderJson(value: unknown): string {
  return stringifyJson(value, 2);
}

function date(unix: number): string {
  return unix > 0 ? `${new Date(unix * 1000).toISOString().replace('.000Z', 'Z')} (${unix})` : '0';
}

export function renderSummary(s: SessionSummary): string {
  const lines: string[] = [];
  const version = s.formatVersion === null ? '' : ` (version ${s.formatVersion})`;
  lines.push(`format      ${s.format}${version}`);
  lines.push(`account     ${s.user ? `${s.user.id}${s.user.isBot === null ? '' : s.user.isBot ? ' (bot)' : ' (user)'}` : 'unknown'}`);
  lines.push(`home DC     ${s.homeDc ?? 'none'}${s.testMode === null ? '' : s.testMode ? ', test servers' : ', production'}`);
  if (s.apiId !== null) lines.push(`api_id      ${s.apiId}`);
  if (s.takeoutId !== null) lines.push(`takeout id  ${s.takeoutId}`);
  lines.push('', 'DCs');
  if (s.dcs.length === 0) lines.push('  (none)');
  for (const d of s.dcs) {
    const flags = [d.ipv6 && 'ipv6', d.mediaOnly && 'media', d.cdn && 'cdn', d.tcpoOnly && 'tcpo', d.static && 'static']
      .filter(Boolean)
      .join(',');
    lines.push(
      `  ${d.home ? '*' : ' '}${String(d.id).padEnd(4)} ${`${d.address}:${d.port}`.padEnd(28)} key ${d.authKeyId ?? 'none'.padEnd(16)}` +
        `  salt ${d.salt}  offset ${d.timeOffset}${flags ? `  [${flags}]` : ''}`,
    );
  }
  const u = s.updates;
  lines.push('', `updates     pts ${u.pts}  qts ${u.qts}  seq ${u.seq}  date ${date(u.date)}`);
  lines.push(`channels    ${u.channels.length} with their own pts`);
  const p = s.peers;
  lines.push(
    `peers       ${p.total} (users ${p.users}, bots ${p.bots}, chats ${p.chats}, channels ${p.channels}, ` +
      `megagroups ${p.megagroups}, gigagroups ${p.gigagroups}, communities ${p.communities}, min ${p.min})`,
  );
  lines.push(`min peers   ${s.minPeers}`);
  for (const i of s.inferences) lines.push(`inferred    ${i}`);
  for (const w of s.warnings) lines.push(`warning     ${w}`);
  return lines.join('\n');
}

export const PEER_HEADER = 'kind         marked id              access hash            username / phone / name';

export function renderPeerRow(r: PeerRow): string {
  const extra = [r.username && `@${r.username}`, r.phone && `+${r.phone}`, r.name].filter(Boolean).join('  ');
  return `${r.kind.padEnd(12)} ${r.markedId.padEnd(22)} ${r.accessHash.padEnd(22)} ${extra}`;
}

const fromNote = (source: string | null) => (source === null ? '' : `  (from ${source === 'session' ? 'the session' : source === 'peer cache' ? 'the peer cache' : source})`);

/** The account and sidecar lines under a summary. */
export function renderAccount(a: AccountInfo | null, side: SidecarFacts | null): string[] {
  const lines: string[] = [];
  if (a) {
    lines.push('', 'account');
    const row = (label: string, value: string | null, source: string | null) => {
      if (value !== null) lines.push(`  ${label.padEnd(10)}${value}${fromNote(source)}`);
    };
    row('user id', a.userId, a.from.userId);
    row('kind', a.isBot === null ? null : a.isBot ? 'bot' : 'user', a.from.isBot);
    row('name', a.name, a.from.name);
    row('username', a.username && `@${a.username}`, a.from.username);
    row('phone', a.phone && `+${a.phone}`, a.from.phone);
  }
  if (side) {
    lines.push('', `sidecar     ${side.path}`);
    const facts: [string, string | number | boolean | null][] = [
      ['api_id', side.apiId],
      ['app hash', side.apiHash],
      ['device', side.device],
      ['system', side.systemVersion],
      ['app', side.appVersion],
      ['lang pack', side.langPack],
      ['sys lang', side.systemLangPack],
      ['premium', side.premium],
    ];
    for (const [k, v] of facts) if (v !== null) lines.push(`  ${k.padEnd(10)}${String(v)}`);
    lines.push(`  ${'2FA'.padEnd(10)}${side.has2fa ? 'stored (never shown here)' : 'none'}`);
    if (side.otherKeys.length > 0) lines.push(`  ${'other'.padEnd(10)}${side.otherKeys.join(', ')}`);
  }
  return lines;
}
