import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in answers a request for its keys. */
export type IssuerBehaviour = 'answers' | 'answers no key set' | 'resets' | 'fails' | 'never answers' | 'stalls the body';

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** A URL on loopback where nothing listens: connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/**
 * An issuer whose behaviour a test switches at will: it serves `jwks` (at Auth0's location, and
 * anywhere else) when it `answers`, and misbehaves in the ways a network or a tenant can otherwise.
 */
export class StandInIssuer {
  behaviour: IssuerBehaviour = 'answers';
  /** Requests that reached it, whatever it did with them. */
  requests = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(jwks: object): Promise<StandInIssuer> {
    const state: { of?: StandInIssuer } = {};
    const server = createServer((_req, res) => {
      const issuer = state.of!;
      issuer.requests += 1;
      if (issuer.behaviour === 'answers') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
      if (issuer.behaviour === 'answers no key set')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"none"}');
      if (issuer.behaviour === 'fails') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('oops');
      if (issuer.behaviour === 'stalls the body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
        res.write('{"keys":[');
      }
      // 'never answers': the request is read and left hanging until the client gives up.
    });
    server.on('connection', (socket) => {
      if (state.of?.behaviour === 'resets') {
        state.of.requests += 1;
        socket.resetAndDestroy();
      }
    });
    state.of = new StandInIssuer(server, `http://127.0.0.1:${await listen(server)}/`);
    return state.of;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
