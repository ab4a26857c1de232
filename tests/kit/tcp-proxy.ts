import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of the test database, to take the database away mid-test:
 * - `cut('refuse')`: every connection is reset, new ones are accepted and reset at once (a server that is down);
 * - `cut('hang')`: connections stay open but nothing gets through either way (a network partition);
 * - `restore()`: forwards again; what a partition held back is delivered, as TCP would retransmit it.
 */
export type ProxyMode = 'up' | 'refuse' | 'hang';

type Pair = { client: Socket; upstream: Socket; held: Array<[Socket, Buffer]> };

export class TcpProxy {
  private mode: ProxyMode = 'up';
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TcpProxy(server, target);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by this proxy's. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  cut(mode: 'refuse' | 'hang'): void {
    this.mode = mode;
    if (mode === 'refuse') for (const pair of this.pairs) this.drop(pair);
  }

  restore(): void {
    this.mode = 'up';
    for (const pair of this.pairs) for (const [to, chunk] of pair.held.splice(0)) to.write(chunk);
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.mode === 'refuse') return void client.resetAndDestroy();
    const upstream = createConnection(this.target);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, held: [] };
    this.pairs.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => (this.mode === 'up' ? to.write(chunk) : pair.held.push([to, chunk]));
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const end = () => this.drop(pair);
    client.on('close', end);
    upstream.on('close', end);
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
  }
}
