import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { VIDEO_ENCODINGS, VIDEO_PROTOCOLS, VideoSinkDraft, type VideoSinkConfig } from '../../../src-main/contract';

/** Defaults for a new sink: the text feed on TCP, local time of Moscow. */
export function newSinkDraft(): VideoSinkDraft {
  return { name: '', protocol: 'textfeed', transport: 'tcp', host: '', port: 4000, enabled: true, terminalId: '1', camera: null, timeZone: 'Europe/Moscow', encoding: 'utf-8' };
}

/** Add or edit one sink. Validates with the contract's own schema before calling the lane. */
export function VideoSinkForm({ initial, onSave, onCancel }: {
  initial: VideoSinkDraft | VideoSinkConfig;
  onSave(draft: VideoSinkDraft): Promise<boolean>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<VideoSinkDraft>(initial);
  const [camera, setCamera] = useState(initial.camera === null ? '' : String(initial.camera));
  const [port, setPort] = useState(String(initial.port));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<VideoSinkDraft>) => {
    setError(null);
    setDraft((d) => ({ ...d, ...patch }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const candidate = { ...draft, port: Number(port), camera: camera.trim() === '' ? null : Number(camera),
      transport: draft.protocol === 'trassir' ? draft.transport : 'tcp' as const };
    const parsed = VideoSinkDraft.safeParse(candidate);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? '');
      setError(t('video.invalid', { field: t(`video.field.${field}`, { defaultValue: field }) }));
      return;
    }
    setBusy(true);
    void onSave(parsed.data).finally(() => setBusy(false));
  };

  return (
    <form className="panel video-form" onSubmit={submit} data-testid="video-sink-form">
      <h2 className="panel-title">{'id' in initial && initial.id ? t('video.editTitle') : t('video.addTitle')}</h2>
      <div className="video-form-grid">
        <label className="wide"><span className="field-label">{t('video.field.name')}</span>
          <input className="field" value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={60} data-testid="video-name" autoFocus />
        </label>
        <label><span className="field-label">{t('video.field.protocol')}</span>
          <select className="field" value={draft.protocol} data-testid="video-protocol"
            onChange={(e) => set({ protocol: e.target.value as VideoSinkDraft['protocol'], transport: 'tcp' })}>
            {VIDEO_PROTOCOLS.map((p) => <option key={p} value={p}>{t(`video.protocol.${p}`)}</option>)}
          </select>
        </label>
        <label><span className="field-label">{t('video.field.transport')}</span>
          <select className="field" value={draft.transport} disabled={draft.protocol !== 'trassir'} data-testid="video-transport"
            onChange={(e) => set({ transport: e.target.value as 'tcp' | 'udp' })}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        </label>
        <label><span className="field-label">{t('video.field.host')}</span>
          <input className="field" value={draft.host} onChange={(e) => set({ host: e.target.value.trim() })} placeholder="192.168.1.20" data-testid="video-host" />
        </label>
        <label><span className="field-label">{t('video.field.port')}</span>
          <input className="field" inputMode="numeric" value={port} onChange={(e) => { setError(null); setPort(e.target.value.replace(/\D/g, '')); }} data-testid="video-port" />
        </label>
        <label><span className="field-label">{t('video.field.terminalId')}</span>
          <input className="field" value={draft.terminalId} onChange={(e) => set({ terminalId: e.target.value.trim() })} maxLength={32} data-testid="video-terminal" />
        </label>
        <label><span className="field-label">{t('video.field.camera')}</span>
          <input className="field" inputMode="numeric" value={camera} onChange={(e) => { setError(null); setCamera(e.target.value.replace(/\D/g, '')); }}
            placeholder={t('video.cameraNone')} data-testid="video-camera" />
        </label>
        <label><span className="field-label">{t('video.field.timeZone')}</span>
          <input className="field" value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value.trim() })} data-testid="video-timezone" />
        </label>
        <label><span className="field-label">{t('video.field.encoding')}</span>
          <select className="field" value={draft.encoding} disabled={draft.protocol === 'trassir'} data-testid="video-encoding"
            onChange={(e) => set({ encoding: e.target.value as VideoSinkDraft['encoding'] })}>
            {VIDEO_ENCODINGS.map((enc) => <option key={enc} value={enc}>{enc}</option>)}
          </select>
        </label>
        <label className="wide video-check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="video-enabled" />
          <span>{t('video.field.enabled')}</span>
        </label>
      </div>
      {error && <p className="video-error" role="alert" data-testid="video-form-error">{error}</p>}
      <div className="video-form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="video-save">{t('video.save')}</button>
      </div>
    </form>
  );
}
