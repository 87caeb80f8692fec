import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the api
  readonly body: any;
}

/**
 * A plain HTTP/1.1 client on node's `http`, with a keep-alive agent holding at most `connections`
 * sockets: requests beyond that wait for a free socket, so `connections` bounds what is in flight.
 * Every answer is read to its end and parsed, as a real client would.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    readonly connections: number,
    private readonly host = '127.0.0.1',
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  send(method: 'GET' | 'POST', path: string, token: string, body?: object): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text.length > 0) {
              try {
                parsed = JSON.parse(text);
              } catch (error) {
                reject(error);
                return;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * The answer's body when its status is `expected`; otherwise an error naming the request and what
   * came back. `lane` (which of the caller's concurrent sequences sends it) matters to SpreadHttpClient only.
   */
  async expect(expected: number, method: 'GET' | 'POST', path: string, token: string, body?: object, _lane?: number): Promise<HttpAnswer['body']> {
    const answer = await this.send(method, path, token, body);
    if (answer.status !== expected)
      throw new Error(`${method} ${path} answered ${answer.status} (expected ${expected}): ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What the workloads ask of a client: its connections, and a request expecting a status. */
export type RequestClient = Pick<HttpClient, 'connections' | 'expect' | 'close'>;

/**
 * Requests spread over several clients (one per api process), as a load balancer spreads
 * keep-alive connections: the requests of one lane always to the same process, those without a
 * lane in turn. `connections` is theirs added up.
 */
export class SpreadHttpClient implements RequestClient {
  readonly connections: number;
  private next = 0;

  constructor(private readonly clients: readonly HttpClient[]) {
    this.connections = clients.reduce((n, client) => n + client.connections, 0);
  }

  expect(expected: number, method: 'GET' | 'POST', path: string, token: string, body?: object, lane?: number): Promise<HttpAnswer['body']> {
    let client: HttpClient;
    if (lane !== undefined) client = this.clients[lane % this.clients.length];
    else {
      client = this.clients[this.next];
      this.next = (this.next + 1) % this.clients.length;
    }
    return client.expect(expected, method, path, token, body);
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}
