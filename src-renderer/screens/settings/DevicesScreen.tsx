import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEVICE_KINDS, DEVICE_PROTOCOLS, DEVICE_ROLES, DeviceDraft, type DeviceConfig, type DeviceKind, type DeviceStatus,
} from '../../../src-main/contract';
import { formatTime } from '../../format/money';
import { attempt, reportError } from '../../state/actions';
import { useUi } from '../../state/ui';
import { pick } from '../../components/useText';
import { call } from '../../transport/pos';
import './video-sinks.css';
import './devices.css';

const REFRESH_MS = 2_000;

function newDraft(kind: DeviceKind = 'scale'): DeviceDraft {
  return { name: '', kind, protocol: DEVICE_PROTOCOLS[kind][0]!, port: '', role: DEVICE_ROLES[kind], enabled: true, options: {} };
}

function DeviceForm({ initial, onSave, onCancel }: { initial: DeviceDraft; onSave(d: DeviceDraft): Promise<boolean>; onCancel(): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DeviceDraft>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DeviceDraft>) => { setError(null); setDraft((d) => ({ ...d, ...patch })); };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = DeviceDraft.safeParse(draft);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? '');
      setError(t('devices.invalid', { field: t(`devices.field.${field}`, { defaultValue: field }) }));
      return;
    }
    setBusy(true);
    void onSave(parsed.data).finally(() => setBusy(false));
  };
  return (
    <form className="panel video-form" onSubmit={submit} data-testid="device-form">
      <h2 className="panel-title">{initial.id ? t('devices.editTitle') : t('devices.addTitle')}</h2>
      <div className="device-form-grid">
        <label className="wide"><span className="field-label">{t('devices.field.name')}</span>
          <input className="field" value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={80} data-testid="device-name" autoFocus />
        </label>
        <label><span className="field-label">{t('devices.field.kind')}</span>
          <select className="field" value={draft.kind} data-testid="device-kind" disabled={Boolean(initial.id)}
            onChange={(e) => { const kind = e.target.value as DeviceKind; set({ kind, protocol: DEVICE_PROTOCOLS[kind][0]!, role: DEVICE_ROLES[kind], options: {} }); }}>
            {DEVICE_KINDS.map((k) => <option key={k} value={k}>{t(`devices.kind.${k}`)}</option>)}
          </select>
        </label>
        <label><span className="field-label">{t('devices.field.protocol')}</span>
          <select className="field" value={draft.protocol} data-testid="device-protocol" onChange={(e) => set({ protocol: e.target.value })}>
            {DEVICE_PROTOCOLS[draft.kind].map((p) => <option key={p} value={p}>{t(`devices.protocol.${p}`, { defaultValue: p })}</option>)}
          </select>
        </label>
        <label className="wide"><span className="field-label">{t('devices.field.port')}</span>
          <input className="field" value={draft.port} onChange={(e) => set({ port: e.target.value })} placeholder="/dev/ttyUSB0?baud=9600 · tcp://192.168.1.20:5001"
            maxLength={200} spellCheck={false} data-testid="device-port" />
        </label>
        <label className="wide"><span className="field-label">{t('devices.field.role')}</span>
          <input className="field" value={draft.role} onChange={(e) => set({ role: e.target.value })} maxLength={80} data-testid="device-role" />
        </label>
        <label className="video-check wide">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="device-enabled" />
          {t('devices.field.enabled')}
        </label>
      </div>
      <p className="video-hint">{t('devices.portHint')}</p>
      {error && <p className="video-error" role="alert" data-testid="device-error">{error}</p>}
      <div className="video-form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="device-save">{t('devices.save')}</button>
      </div>
    </form>
  );
}

function DeviceRow({ device, status, onEdit, onChanged }: { device: DeviceConfig; status: DeviceStatus | undefined; onEdit(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    void attempt(action).finally(() => { setBusy(false); onChanged(); });
  };
  const state = status?.state ?? 'connecting';
  return (
    <li className={`video-sink${device.enabled ? '' : ' off'}`} data-testid="device-row" data-device-id={device.id}>
      <div>
        <div className="video-sink-name" data-testid="device-row-name">{device.name}</div>
        <div className="video-sink-meta">{t(`devices.kind.${device.kind}`)} · {t(`devices.protocol.${device.protocol}`, { defaultValue: device.protocol })} · {device.port} · {device.role}</div>
        <div className={`video-state device-state state-${state}`} data-testid="device-row-state" data-state={state}>
          {t(`devices.state.${state}`)}
          {status?.lastSeenAt && <span> · {t('devices.lastSeen', { time: formatTime(status.lastSeenAt, lang) })}</span>}
          {status && status.failures > 0 && <span> · {t('devices.failures', { count: status.failures })}</span>}
        </div>
      </div>
      <div className="video-sink-actions">
        <button type="button" className="btn btn-secondary" disabled={busy} data-testid="device-test"
          onClick={() => run(async () => {
            const result = await call('devices.test', { deviceId: device.id });
            toast(result.ok ? 'info' : 'error', result.message);
          })}>{t('devices.test')}</button>
        <button type="button" className="btn btn-secondary" disabled={busy} data-testid="device-toggle"
          onClick={() => run(() => call('devices.save', { device: { ...device, enabled: !device.enabled } }))}>
          {device.enabled ? t('devices.disable') : t('devices.enable')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onEdit} data-testid="device-edit">{t('devices.edit')}</button>
        <button type="button" className="btn btn-danger" disabled={busy} data-testid="device-remove"
          onClick={() => { if (window.confirm(t('devices.removeConfirm', { name: device.name }))) run(() => call('devices.remove', { deviceId: device.id })); }}>
          {t('devices.remove')}
        </button>
      </div>
      {status?.lastError && state !== 'up' && <div className="video-warn" data-testid="device-row-error">{pick(status.lastError, lang)}</div>}
      {status?.warning && state === 'up' && <div className="video-warn" data-testid="device-row-warning">{pick(status.warning, lang)}</div>}
    </li>
  );
}

/** The administrator's screen: the lane's scales, scanners, printer and customer display. */
export function DevicesScreen() {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<DeviceConfig[]>([]);
  const [status, setStatus] = useState<DeviceStatus[]>([]);
  const [editing, setEditing] = useState<DeviceDraft | null>(null);

  const refresh = useCallback(() => {
    call('devices.list', {}).then((r) => { setDevices(r.devices); setStatus(r.status); }, reportError);
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const save = (draft: DeviceDraft) => attempt(async () => {
    await call('devices.save', { device: draft });
    setEditing(null);
    refresh();
  });

  return (
    <main className="video-screen" data-testid="devices-screen">
      <div className="panel video-panel">
        <div className="video-head">
          <h1 className="panel-title">{t('devices.title')}</h1>
          <button type="button" className="btn btn-primary" onClick={() => setEditing(newDraft())} data-testid="device-add">{t('devices.add')}</button>
        </div>
        <p className="video-hint">{t('devices.hint')}</p>
        <ul className="video-list" data-testid="device-list">
          {devices.map((d) => (
            <DeviceRow key={d.id} device={d} status={status.find((s) => s.id === d.id)} onEdit={() => setEditing(d)} onChanged={refresh} />
          ))}
        </ul>
        {devices.length === 0 && <p className="panel-empty" data-testid="devices-empty">{t('devices.empty')}</p>}
      </div>
      {editing && <DeviceForm key={editing.id ?? 'new'} initial={editing} onSave={save} onCancel={() => setEditing(null)} />}
    </main>
  );
}
