/**
 * Serializes read-modify-write work on one document inside this process.
 *
 * Why: FerretDB v1 applies every update as "query the document, apply the
 * operators in Go, write the whole document back" with no isolation between
 * concurrent requests, on its SQLite and PostgreSQL backends alike. Measured
 * here: 50 concurrent `$inc` on one document leave it at 3, and 50 concurrent
 * conditional `findOneAndUpdate({ reservedBy: null })` let 2 through. MongoDB
 * itself makes each single-document update atomic. So every service routes its
 * writes to one document — its own updates and the outbox's — through this
 * lock: one instance per service is then correct on FerretDB, and several
 * instances are correct on MongoDB (what the cluster runs). Cross-document
 * rules that must hold across instances (one reservation per ticket, one
 * payment per order, one user per e-mail) use unique indexes, which FerretDB
 * does enforce atomically. See docs/decisions/0001-ferretdb-for-tests-and-local-runs.md.
 */
export class DocumentLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier holder of `key` has finished; returns its result. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently held or awaited (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/** The process-wide lock every writer shares; key documents as `<collection>:<id>`. */
export const documentLock = new DocumentLock();

/** The lock key of a document. */
export function documentKey(collectionName: string, id: unknown): string {
  return `${collectionName}:${String(id)}`;
}

/** Runs `fn` holding the lock of one document of a model (anything with a mongoose/driver `collection`). */
export function withDocumentLock<T>(
  model: { collection: { collectionName: string } },
  id: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  return documentLock.run(documentKey(model.collection.collectionName, id), fn);
}
