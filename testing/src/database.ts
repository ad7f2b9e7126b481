import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { infraUrl } from './infra';

/**
 * A connection to a fresh, uniquely named database on the test server, so test
 * files can run in parallel without wiping each other's data.
 */
export async function connectTestDatabase(
  prefix = 'test',
): Promise<{ connection: Connection; url: string; drop(): Promise<void> }> {
  const base = infraUrl('mongo');
  const name = `${prefix.replace(/[^a-z0-9]/gi, '')}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(base, name);
  const connection = await mongoose
    .createConnection(url, { serverSelectionTimeoutMS: 5000, autoIndex: false })
    .asPromise();
  return {
    connection,
    url,
    drop: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

/** Puts a database name into a mongodb:// URL, keeping its query string. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh database of the test server, as {@link connectTestDatabase} opens it. */
export type TestDatabase = Awaited<ReturnType<typeof connectTestDatabase>>;
