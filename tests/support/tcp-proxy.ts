import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of a server, to cut a part's connections to it as a lost network or a crash would. */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones (ECONNREFUSED), until `restore`. */
  cut(): Promise<void>;
  /** Accepts connections again; nothing to do when it was not cut. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port that forwards to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const onConnection = (client: Socket) => {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server: Server = createServer(onConnection);
  const listenOn = (at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const own = await listenOn(0);
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return {
    port: own,
    cut: stop,
    restore: async () => {
      // A second listener on the same port fails (EADDRINUSE), and `server` would then name it instead of the
      // one still listening, which `close` could no longer reach: it kept its process alive after the tests.
      if (server.listening) return;
      server = createServer(onConnection);
      await listenOn(own);
    },
    close: stop,
  };
}
