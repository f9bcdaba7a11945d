import { createHash, createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SentSms {
  PhoneNumbers: string;
  SignName: string;
  TemplateCode: string;
  TemplateParam: string;
}

/** RFC 3986 encoding as Aliyun's canonical query string uses it. */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A loopback stand-in for dysmsapi SendSms that checks the ACS3-HMAC-SHA256 signature exactly as Aliyun does
 * (canonical request over method, path, sorted query, signed headers and the body hash) and answers in
 * Aliyun's JSON shapes. `failWith` scripts a business error such as isv.BUSINESS_LIMIT_CONTROL.
 */
export class FakeAliyunSms {
  readonly sent: SentSms[] = [];
  rejected = 0;
  failWith?: string;
  private server?: Server;

  constructor(
    private readonly accessKeyId: string,
    private readonly accessKeySecret: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = (status: number, body: object) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const problem = this.verify(req, Buffer.concat(chunks));
        if (problem) {
          this.rejected += 1;
          return reply(400, { Code: problem, Message: problem, RequestId: 'fake' });
        }
        const query = Object.fromEntries(
          new URL(req.url ?? '/', 'http://x').searchParams,
        ) as unknown as SentSms;
        if (this.failWith)
          return reply(200, { Code: this.failWith, Message: 'scripted failure', RequestId: 'fake' });
        this.sent.push(query);
        reply(200, { Code: 'OK', Message: 'OK', BizId: `biz${this.sent.length}`, RequestId: 'fake' });
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private verify(req: IncomingMessage, body: Buffer): string | undefined {
    if (req.headers['x-acs-action'] !== 'SendSms' || req.headers['x-acs-version'] !== '2017-05-25')
      return 'InvalidAction';
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
      String(req.headers.authorization ?? ''),
    );
    if (!auth) return 'MissingAuthorization';
    const [, keyId, signedHeaders, signature] = auth;
    if (keyId !== this.accessKeyId) return 'InvalidAccessKeyId.NotFound';
    const payloadHash = createHash('sha256').update(body).digest('hex');
    if (req.headers['x-acs-content-sha256'] !== payloadHash) return 'IncompleteSignature';
    const url = new URL(req.url ?? '/', 'http://x');
    const query = [...url.searchParams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${encode(v)}`)
      .join('&');
    const names = signedHeaders.split(';');
    const headers = names.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
    const canonical = [req.method, url.pathname, query, headers, names.join(';'), payloadHash].join('\n');
    const toSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const expected = createHmac('sha256', this.accessKeySecret).update(toSign).digest('hex');
    return expected === signature ? undefined : 'SignatureDoesNotMatch';
  }
}
