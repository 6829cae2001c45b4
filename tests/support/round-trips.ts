import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

type Wire = pg.Connection & { query(text: string): void; sync(): void; end(): void; stream: Socket };
type Socket = { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };

/**
 * Counts the round trips a connection makes until `stop`, as the wire sees them: a statement sent after the
 * server has answered anything since the connection's last statement starts one; statements sent without
 * waiting for an answer share it (pipelining). `writes` counts the writes of statements to its socket (system
 * calls) too: statements sent together in one write (`inOneWrite`) count one; the goodbye of a connection
 * being closed does not count.
 */
export function roundTrips(client: pg.ClientBase): { readonly count: number; readonly writes: number; stop(): number } {
  const wire = (client as unknown as { connection: Wire }).connection;
  let waited = true;
  let trips = 0;
  const sent = () => {
    if (waited) trips += 1;
    waited = false;
  };
  const received = () => (waited = true);
  const query = wire.query.bind(wire);
  const sync = wire.sync.bind(wire);
  // A simple statement is one message; an extended one (parse, bind, execute) ends with one sync.
  wire.query = (text: string) => (sent(), query(text));
  wire.sync = () => (sent(), sync());
  wire.on('message', received);
  // The socket's own write methods: one call per chunk written, or per corked group of chunks; none after the
  // connection began to close (its Terminate message), which is no statement.
  let writes = 0;
  let closing = false;
  const end = wire.end.bind(wire);
  wire.end = () => ((closing = true), end());
  const socket = wire.stream;
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (...args) => (closing || writes++, write(...args));
  socket._writev = (...args) => (closing || writes++, writev(...args));
  return {
    get count() {
      return trips;
    },
    get writes() {
      return writes;
    },
    stop() {
      // The connection's and the socket's own methods (their classes') again.
      delete (wire as Partial<Wire>).query;
      delete (wire as Partial<Wire>).sync;
      delete (wire as Partial<Wire>).end;
      delete (socket as Partial<Socket>)._write;
      delete (socket as Partial<Socket>)._writev;
      wire.off('message', received);
      return trips;
    },
  };
}

/** What a data source's pool did: connections handed out, round trips made and socket writes done on them. */
export interface PoolTraffic {
  connections: number;
  trips: number;
  writes: number;
}

/**
 * Counts, from now on, the connections a data source's pool hands out and the round trips made on them
 * (`roundTrips`, per connection, summed: trips on different connections at once count once each).
 * `read` gives the counts so far; `stop` ends the counting.
 */
export function poolTraffic(db: DataSource): { read(): PoolTraffic; stop(): void } {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  const counters = new Map<pg.ClientBase, ReturnType<typeof roundTrips>>();
  let connections = 0;
  const acquired = (client: pg.PoolClient) => {
    connections += 1;
    if (!counters.has(client)) counters.set(client, roundTrips(client));
  };
  pool.on('acquire', acquired);
  return {
    read: () => ({
      connections,
      trips: [...counters.values()].reduce((sum, counter) => sum + counter.count, 0),
      writes: [...counters.values()].reduce((sum, counter) => sum + counter.writes, 0),
    }),
    stop() {
      pool.off('acquire', acquired);
      for (const counter of counters.values()) counter.stop();
    },
  };
}
