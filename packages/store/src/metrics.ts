// Round trips to the store, counted per command (find, insert, update, delete, …) from the driver's
// own command monitoring: what the load benchmark divides by the work done to show where the time
// goes (issue 17), and what an operator's Prometheus scrapes from /metrics.
import type { Connection } from 'mongoose';
import { Counter, register } from 'prom-client';

const storeCommands =
  (register.getSingleMetric('store_commands_total') as Counter<'command'> | undefined) ??
  new Counter({
    name: 'store_commands_total',
    help: 'Commands sent to the store (MongoDB wire protocol), by command name',
    labelNames: ['command'],
  });

/** Counts every command the connection's client sends (the connection must monitor commands). */
export function countStoreCommands(connection: Connection): void {
  connection.getClient().on('commandStarted', (event: { commandName: string }) => {
    storeCommands.inc({ command: event.commandName });
  });
}
