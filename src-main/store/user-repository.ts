// Users of the lane: cashiers, supervisors, administrators. PINs are stored only as KDF hashes.
import type { Database, Statement } from 'better-sqlite3';
import type { Role, User } from '../contract';

interface UserRow { id: string; name: string; role: Role; pin_hash: string; active: number }

export class UserRepository {
  private readonly byPinHashStmt: Statement<[string], UserRow>;
  private readonly insertStmt: Statement<[string, string, string, string, string]>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly byIdStmt: Statement<[string], UserRow>;

  constructor(private readonly db: Database) {
    this.byPinHashStmt = db.prepare('SELECT * FROM users WHERE pin_hash = ? AND active = 1');
    this.insertStmt = db.prepare('INSERT INTO users (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM users');
    this.byIdStmt = db.prepare('SELECT * FROM users WHERE id = ?');
  }

  byPinHash(pinHash: string): User | null {
    const row = this.byPinHashStmt.get(pinHash);
    return row ? toUser(row) : null;
  }

  byId(id: string): User | null {
    const row = this.byIdStmt.get(id);
    return row ? toUser(row) : null;
  }

  add(user: User, pinHash: string, atIso: string): void {
    this.insertStmt.run(user.id, user.name, user.role, pinHash, atIso);
  }

  count(): number {
    return this.countStmt.get()!.n;
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, role: row.role };
}
