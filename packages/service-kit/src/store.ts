// The service's connection to its store, the same way in every service.
import { countStoreCommands } from '@recycling/store';
import mongoose, { type Connection } from 'mongoose';

/**
 * How long an operation waits for a reachable store before it fails. The driver's default is 30 s:
 * while the store is down every request then hangs that long before its 503 (measured in the broker
 * and store fault tests). 5 s answers a person at the desk quickly; consumers retry store errors
 * without limit anyway.
 */
export const STORE_SELECTION_TIMEOUT_MS = 5_000;

/**
 * Opens the service's own database (MONGO_URL names it) and waits until it answers. Its commands are
 * counted per name (`store_commands_total` on /metrics).
 */
export async function connectStore(url: string): Promise<Connection> {
  const connection = await mongoose
    .createConnection(url, { serverSelectionTimeoutMS: STORE_SELECTION_TIMEOUT_MS, monitorCommands: true })
    .asPromise();
  countStoreCommands(connection);
  return connection;
}
