// Each test file gets a database of its own on the shared store, so files run in parallel.
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';

export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export function requireEnv(name: 'KAFKA_BROKERS' | 'MONGO_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest's integration project`);
  return value;
}

export async function openTestDatabase(prefix: string): Promise<Connection> {
  const connection = mongoose.createConnection(requireEnv('MONGO_URL'), {
    dbName: uniqueName(`t-${prefix}`).replace(/[^a-zA-Z0-9_-]/g, '_'),
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  return connection;
}

export async function dropTestDatabase(connection: Connection): Promise<void> {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
}

/**
 * MONGO_URL with the database `dbName`, keeping host list and options: the local infrastructure's
 * URL carries `?directConnection=true`, so appending a name to the string would corrupt it.
 */
export function testMongoUrl(dbName: string): string {
  const url = new URL(requireEnv('MONGO_URL'));
  url.pathname = `/${dbName}`;
  return url.toString();
}
