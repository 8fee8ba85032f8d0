// The video export's on-disk queue, in its own small file (video-queue.sqlite) rather than in
// sales.sqlite: it is transient, churning data (written per event, deleted once every sink has it),
// and keeping it apart means its writes never take the sales database's write lock or its FULL
// fsync, a damaged or deleted queue file can never touch a sale, and backups/audits of the sales
// database stay about sales. It runs WAL with synchronous=NORMAL: crash-safe, may lose the last
// few events on power loss, which the video system can live with.
//
// One table of events (seq = order of the lane) and one cursor per sink: the last seq it delivered.
// Bound: a sink never has more than maxPendingPerSink undelivered events; beyond that its oldest are
// skipped (its cursor jumps) and counted in `evicted`, which the sink status reports. Events every
// sink has are deleted.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Migration } from './migrate';
import { openMigratedDatabase } from './database';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'video export queue',
    up(db) {
      db.exec(`
        CREATE TABLE video_events (
          seq    INTEGER PRIMARY KEY AUTOINCREMENT,
          at     TEXT NOT NULL,      -- the event's own time
          kind   TEXT NOT NULL,
          event  TEXT NOT NULL       -- JSON PosEvent
        ) STRICT;
        CREATE TABLE video_sink_cursors (
          sink_id         TEXT PRIMARY KEY,
          delivered_seq   INTEGER NOT NULL,
          evicted         INTEGER NOT NULL DEFAULT 0,
          last_evicted_at TEXT
        ) STRICT;
      `);
    },
  },
];

export interface VideoQueueRow {
  seq: number;
  event: unknown;
}

export interface SinkQueueStats {
  deliveredSeq: number;
  pending: number;
  evicted: number;
  lastEvictedAt: string | null;
}

export class VideoQueue {
  private readonly insert: Statement<[string, string, string]>;
  private readonly maxSeqStmt: Statement<[], { seq: number | null }>;
  private readonly evictStmt: Statement<{ floor: number; at: string }>;
  private readonly gcStmt: Statement<[]>;
  private readonly gcAllStmt: Statement<[]>;
  private readonly nextStmt: Statement<[string, number], { seq: number; event: string }>;
  private readonly deliveredStmt: Statement<[number, string]>;
  private readonly cursorStmt: Statement<[string], { delivered_seq: number; evicted: number; last_evicted_at: string | null }>;
  private readonly cursorsStmt: Statement<[], { sink_id: string }>;
  private readonly addCursorStmt: Statement<[string, number]>;
  private readonly dropCursorStmt: Statement<[string]>;
  private readonly appendTx: Transaction<(events: ReadonlyArray<{ at: string; kind: string }>) => number>;

  private constructor(private readonly db: Database, private readonly maxPendingPerSink: number) {
    this.insert = db.prepare('INSERT INTO video_events (at, kind, event) VALUES (?, ?, ?)');
    this.maxSeqStmt = db.prepare("SELECT max(seq) AS seq FROM (SELECT max(seq) AS seq FROM video_events UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'video_events')");
    this.evictStmt = db.prepare(`UPDATE video_sink_cursors SET evicted = evicted + (:floor - delivered_seq), delivered_seq = :floor, last_evicted_at = :at
      WHERE delivered_seq < :floor`);
    this.gcStmt = db.prepare('DELETE FROM video_events WHERE seq <= (SELECT min(delivered_seq) FROM video_sink_cursors)');
    this.gcAllStmt = db.prepare('DELETE FROM video_events');
    this.nextStmt = db.prepare(`SELECT seq, event FROM video_events
      WHERE seq > (SELECT delivered_seq FROM video_sink_cursors WHERE sink_id = ?) ORDER BY seq LIMIT ?`);
    this.deliveredStmt = db.prepare('UPDATE video_sink_cursors SET delivered_seq = max(delivered_seq, ?) WHERE sink_id = ?');
    this.cursorStmt = db.prepare('SELECT delivered_seq, evicted, last_evicted_at FROM video_sink_cursors WHERE sink_id = ?');
    this.cursorsStmt = db.prepare('SELECT sink_id FROM video_sink_cursors');
    this.addCursorStmt = db.prepare('INSERT INTO video_sink_cursors (sink_id, delivered_seq) VALUES (?, ?) ON CONFLICT(sink_id) DO NOTHING');
    this.dropCursorStmt = db.prepare('DELETE FROM video_sink_cursors WHERE sink_id = ?');
    this.appendTx = db.transaction((events: ReadonlyArray<{ at: string; kind: string }>) => {
      for (const e of events) this.insert.run(e.at, e.kind, JSON.stringify(e));
      const max = this.maxSeq();
      const floor = max - this.maxPendingPerSink;
      if (floor > 0) this.evictStmt.run({ floor, at: new Date().toISOString() });
      this.collect();
      return max;
    });
  }

  /** Opens (creating if needed) the queue file. maxPendingPerSink: the bound per sink. */
  static open(file: string, maxPendingPerSink: number): VideoQueue {
    if (!Number.isInteger(maxPendingPerSink) || maxPendingPerSink < 1) throw new Error('maxPendingPerSink must be a positive integer');
    // Foreign keys off as before: the queue's tables reference nothing.
    const db = openMigratedDatabase(file, migrations, { synchronous: 'NORMAL', foreignKeys: false });
    return new VideoQueue(db, maxPendingPerSink);
  }

  /**
   * Makes the set of sinks that receive events exactly `sinkIds`: a new sink starts at the current
   * end of the queue (it gets what happens from now on), a removed one is forgotten.
   */
  syncSinks(sinkIds: readonly string[]): void {
    this.db.transaction(() => {
      const wanted = new Set(sinkIds);
      for (const { sink_id } of this.cursorsStmt.all()) if (!wanted.has(sink_id)) this.dropCursorStmt.run(sink_id);
      const max = this.maxSeq();
      for (const id of wanted) this.addCursorStmt.run(id, max);
      this.collect();
    }).immediate();
  }

  /** Appends events in order (one transaction), applies the bound, returns the last seq. */
  append(events: ReadonlyArray<{ at: string; kind: string }>): number {
    if (events.length === 0) return this.maxSeq();
    return this.appendTx.immediate(events);
  }

  next(sinkId: string, limit: number): VideoQueueRow[] {
    return this.nextStmt.all(sinkId, Math.max(1, Math.floor(limit))).map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as unknown }));
  }

  markDelivered(sinkId: string, seq: number): void {
    this.deliveredStmt.run(seq, sinkId);
  }

  stats(sinkId: string): SinkQueueStats | null {
    const c = this.cursorStmt.get(sinkId);
    if (!c) return null;
    return { deliveredSeq: c.delivered_seq, pending: Math.max(0, this.maxSeq() - c.delivered_seq), evicted: c.evicted, lastEvictedAt: c.last_evicted_at };
  }

  maxSeq(): number {
    return this.maxSeqStmt.get()?.seq ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private collect(): void {
    if (this.cursorsStmt.all().length === 0) this.gcAllStmt.run();
    else this.gcStmt.run();
  }
}
