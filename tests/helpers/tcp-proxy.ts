import net from 'node:net';

/** A TCP forwarder in front of a real server, whose link can be cut and restored, to test outages. */
export interface TcpProxy {
  url: string;
  /** Drops every open connection and refuses new ones (as if the server went away). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let listening: net.Server | null = null;
  let boundPort = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const server = net.createServer((client) => {
        const upstream = net.connect(Number(port), hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.address() as net.AddressInfo).port;
        listening = server;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!listening) return resolve();
      listening.close(() => resolve());
      listening = null;
    });
  await listen();
  return { url: `http://127.0.0.1:${boundPort}`, cut: stop, restore: listen, close: stop };
}
