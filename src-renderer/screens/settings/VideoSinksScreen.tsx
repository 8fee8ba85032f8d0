import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VideoSinkConfig, VideoSinkDraft, VideoSinkStatus } from '../../../src-main/contract';
import { formatTime } from '../../format/money';
import i18n from '../../i18n';
import { attempt, reportError } from '../../state/actions';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';
import { newSinkDraft, VideoSinkForm } from './VideoSinkForm';
import './video-sinks.css';

const REFRESH_MS = 2_000;

function SinkRow({ sink, status, onEdit, onChanged }: { sink: VideoSinkConfig; status: VideoSinkStatus | undefined; onEdit(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    void attempt(action).finally(() => { setBusy(false); onChanged(); });
  };
  const state = status?.state ?? 'stopped';
  return (
    <li className={`video-sink${sink.enabled ? '' : ' off'}`} data-testid="video-sink">
      <div>
        <div className="video-sink-name" data-testid="video-sink-name">{sink.name}</div>
        <div className="video-sink-meta">
          {t(`video.protocol.${sink.protocol}`)} · {sink.transport.toUpperCase()} {sink.host}:{sink.port} · {t('video.field.terminalId')} {sink.terminalId}
          {sink.camera !== null && <> · {t('video.field.camera')} {sink.camera}</>}
        </div>
        <div className={`video-state state-${state}`} data-testid="video-sink-state">
          {t(`video.state.${state}`)}
          {status && status.pending > 0 && <span> · {t('video.pending', { count: status.pending })}</span>}
          {status?.lastDeliveredAt && <span> · {t('video.lastSent', { time: formatTime(status.lastDeliveredAt, lang) })}</span>}
        </div>
      </div>
      <div className="video-sink-actions">
        <button type="button" className="btn btn-secondary" disabled={busy} data-testid="video-sink-test"
          onClick={() => run(async () => {
            const result = await call('video.testSink', { sinkId: sink.id });
            const text = (lang: 'ru' | 'en') => i18n.getFixedT(lang)('video.testSent', { count: result.sentEvents });
            toast('info', { ru: text('ru'), en: text('en') });
          })}>{t('video.test')}</button>
        <button type="button" className="btn btn-secondary" disabled={busy} data-testid="video-sink-toggle"
          onClick={() => run(() => call('video.saveSink', { sink: { ...sink, enabled: !sink.enabled } }))}>
          {sink.enabled ? t('video.disable') : t('video.enable')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onEdit} data-testid="video-sink-edit">{t('video.edit')}</button>
        <button type="button" className="btn btn-danger" disabled={busy} data-testid="video-sink-remove"
          onClick={() => { if (window.confirm(t('video.removeConfirm', { name: sink.name }))) run(() => call('video.removeSink', { sinkId: sink.id })); }}>
          {t('video.remove')}
        </button>
      </div>
      {status && status.evicted > 0 && (
        <div className="video-warn" data-testid="video-sink-evicted">{t('video.evicted', { count: status.evicted })}</div>
      )}
      {status?.lastError && state !== 'connected' && <div className="video-warn" data-testid="video-sink-error">{status.lastError}</div>}
    </li>
  );
}

/** The administrator's screen: the video systems this lane streams its events to. */
export function VideoSinksScreen() {
  const { t } = useTranslation();
  const [sinks, setSinks] = useState<VideoSinkConfig[]>([]);
  const [status, setStatus] = useState<VideoSinkStatus[]>([]);
  const [editing, setEditing] = useState<VideoSinkDraft | VideoSinkConfig | null>(null);

  const refresh = useCallback(() => {
    call('video.listSinks', {}).then((r) => { setSinks(r.sinks); setStatus(r.status); }, reportError);
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const save = (draft: VideoSinkDraft) => attempt(async () => {
    await call('video.saveSink', { sink: draft });
    setEditing(null);
    refresh();
  });

  return (
    <main className="video-screen" data-testid="video-settings-screen">
      <div className="panel video-panel">
        <div className="video-head">
          <h1 className="panel-title">{t('video.title')}</h1>
          <button type="button" className="btn btn-primary" onClick={() => setEditing(newSinkDraft())} data-testid="video-add">{t('video.add')}</button>
        </div>
        <p className="video-hint">{t('video.hint')}</p>
        <ul className="video-list" data-testid="video-list">
          {sinks.map((sink) => (
            <SinkRow key={sink.id} sink={sink} status={status.find((s) => s.sinkId === sink.id)} onEdit={() => setEditing(sink)} onChanged={refresh} />
          ))}
        </ul>
        {sinks.length === 0 && <p className="panel-empty" data-testid="video-empty">{t('video.empty')}</p>}
      </div>
      {editing && <VideoSinkForm key={'id' in editing ? editing.id ?? 'new' : 'new'} initial={editing} onSave={save} onCancel={() => setEditing(null)} />}
    </main>
  );
}
