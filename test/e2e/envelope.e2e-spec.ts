import { AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { expectError, nextPhone, registerAccount, sendCode } from '../support/factories';
import { appRoutes } from '../support/routes';
import { startTestApp, TEST_SMS_CODE, TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Stack frames, source paths and SQL: none of it may ever reach a client. */
function expectNoLeak(res: Response): void {
  const text = res.text ?? JSON.stringify(res.body ?? '');
  expect(text).not.toMatch(/\n\s+at |\bat \S+ \(|\.ts:\d+|node_modules|\/work\//);
  expect(text).not.toMatch(
    /\b(SELECT|INSERT INTO|UPDATE \S+ SET|DELETE FROM)\b|QueryFailedError|relation "|syntax error/i,
  );
}

/** The failure envelope, exactly its three keys, with the request id header, and nothing leaked. */
function expectErrorEnvelope(res: Response, status: number, code: number) {
  const body = expectError(res, status, code);
  expect(Object.keys(body).sort()).toEqual(['data', 'error_code', 'error_message']);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  expectNoLeak(res);
  return body;
}

describe('envelope, errors, request ids and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('success', () => {
    it('wraps data with error_code 0 and an empty error_message', async () => {
      const res = await t.http.get('/city?parent_id=110000').expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'error_code', 'error_message']);
      expect(res.body).toMatchObject({ error_code: 0, error_message: '' });
      expect(res.body.data.list).toHaveLength(1);
    });

    it('POST answers 200, not 201 (JSON and form bodies)', async () => {
      const phone = nextPhone();
      const code = await t.http.post('/phone/verifycode').send({ phone });
      expect(code.status).toBe(200);
      expect(code.body).toEqual({ error_code: 0, data: {}, error_message: '' });

      const register = await t.http
        .post('/register')
        .send({ phono: phone, verify_code: TEST_SMS_CODE, pwd: 'secret123', type: 1 });
      expect(register.status).toBe(200);
      expect(register.body.error_code).toBe(0);

      const login = await t.http.post('/login').type('form').send({ phone, pwd: 'secret123', type: '1' });
      expect(login.status).toBe(200);
      expect(login.body.error_code).toBe(0);
      expect(login.body.data.token).toEqual(expect.any(String));

      const other = nextPhone();
      await sendCode(t.http, other);
      const phoneLogin = await t.http.post('/login/phone').send({ phone: other, verify_code: TEST_SMS_CODE });
      expect(phoneLogin.status).toBe(200);
    });
  });

  describe('failures', () => {
    it('malformed JSON is 400 10002', async () => {
      const res = await t.http.post('/login').set('Content-Type', 'application/json').send('{"phone": "155');
      const body = expectErrorEnvelope(res, 400, 10002);
      expect(body.error_message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('a body that will not decompress is 400 10002, not a 500', async () => {
      const res = await t.http
        .post('/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('definitely not gzip');
      expectErrorEnvelope(res, 400, 10002);
    });

    it('a gzip-compressed JSON body is read', async () => {
      const res = await t.http
        .post('/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        // superagent would JSON-encode the Buffer otherwise; its typing says string but it writes what it gets
        .serialize((raw: Buffer) => raw as unknown as string)
        .send(gzipSync(JSON.stringify({ phone: '123', pwd: 'secret123', type: 1 })));
      expect(expectErrorEnvelope(res, 400, 10001).data).toEqual({ field: 'phone' });
    });

    it('an unknown route, or an unknown method on a known path, is 404 10004', async () => {
      expectErrorEnvelope(await t.http.get('/no/such/route'), 404, 10004);
      expectErrorEnvelope(await t.http.post('/no/such/route').send({ a: 1 }), 404, 10004);
      expectErrorEnvelope(await t.http.delete('/city'), 404, 10004);
    });

    it('a validation error names the field in error_message and data.field (JSON and form)', async () => {
      const json = expectErrorEnvelope(
        await t.http.post('/login').send({ phone: '12345', pwd: 'secret123', type: 1 }),
        400,
        10001,
      );
      expect(json.data).toEqual({ field: 'phone' });
      expect(json.error_message).toContain('phone');
      expect(json.error_message).toMatch(/[\u4e00-\u9fff]/);

      const form = expectErrorEnvelope(
        await t.http.post('/login').type('form').send('phone=15512341234&pwd=secret123&type=7'),
        400,
        10001,
      );
      expect(form.data).toEqual({ field: 'type' });
      expect(form.error_message).toContain('type');

      const missing = expectErrorEnvelope(await t.http.post('/login').send({}), 400, 10001);
      expect(['phone', 'pwd', 'type']).toContain((missing.data as { field: string }).field);
    });

    it('validation messages are Chinese text, never class-validator English defaults', async () => {
      for (const path of [
        '/city?parent_id=abc',
        '/city?parent_id=99999999',
        '/city?parent_id=-5',
        `/area/city?name=${'长'.repeat(60)}`,
      ]) {
        const body = expectErrorEnvelope(await t.http.get(encodeURI(path)), 400, 10001);
        expect(body.error_message).toMatch(/^参数 \w+ 不正确：.*[\u4e00-\u9fff]/);
        expect(body.error_message).not.toMatch(/must|should|number|string/);
      }
    });

    it('a NUL byte in a query string is a 400, not a database error', async () => {
      expectErrorEnvelope(await t.http.get('/area/city?name=%00'), 400, 10001);
    });

    it('no token is 401 20001, a bad token 401 20002, the wrong role 403 20005', async () => {
      expectErrorEnvelope(await t.http.get('/user'), 401, 20001);
      expectErrorEnvelope(await t.http.get('/user').set('X-auth-token', 'nope'), 401, 20002);
      expectErrorEnvelope(await t.http.get('/user').set('Authorization', 'Bearer nope'), 401, 20002);
      const patient = await registerAccount(t.http, 1);
      expectErrorEnvelope(await t.http.get('/admin/users').set('X-auth-token', patient.token), 403, 20005);
    });
  });

  describe('X-Request-Id', () => {
    it('is generated for every response, fresh each time', async () => {
      const responses = [
        await t.http.get('/health'),
        await t.http.get('/no/such/route'),
        await t.http.post('/login').set('Content-Type', 'application/json').send('{bad'),
        await t.http.get('/user'),
        await t.http.get('/docs-json'),
      ];
      const ids = responses.map((r) => r.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('echoes a valid incoming id, on successes and failures alike', async () => {
      const id = 'req-0123456789abcdef';
      expect((await t.http.get('/health').set('X-Request-Id', id)).headers['x-request-id']).toBe(id);
      expect((await t.http.get('/nope').set('X-Request-Id', id)).headers['x-request-id']).toBe(id);
      const malformed = await t.http
        .post('/login')
        .set('X-Request-Id', id)
        .set('Content-Type', 'application/json')
        .send('{bad');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['x-request-id']).toBe(id);
    });

    it('replaces an invalid incoming id (too short, odd characters, too long)', async () => {
      for (const bad of ['abc', 'has spaces in it', 'x'.repeat(65), '<script>alert(1)</script>']) {
        const res = await t.http.get('/health').set('X-Request-Id', bad);
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
    });
  });

  describe('OpenAPI', () => {
    it('/docs serves the Swagger UI', async () => {
      const res = await t.http.get('/docs').redirects(1);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
    });

    it('/docs-json is an OpenAPI document listing exactly every route of the app, with its method', async () => {
      const res = await t.http.get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.error_code).toBeUndefined();
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      const documented = Object.entries(paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const served = appRoutes(t);
      expect(served.length).toBeGreaterThan(17);
      expect(documented.sort()).toEqual(served.sort());
    });

    it('documents the methods, the upload body and the query parameters', async () => {
      const { paths } = (await t.http.get('/docs-json').expect(200)).body as {
        paths: Record<
          string,
          Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>
        >;
      };
      expect(Object.keys(paths['/imgupload'])).toEqual(['post']);
      expect(JSON.stringify(paths['/imgupload'].post.requestBody)).toContain('multipart/form-data');
      expect(Object.keys(paths['/city'])).toEqual(['get']);
      expect(paths['/city'].get.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'parent_id', in: 'query' })]),
      );
      expect(paths['/area/city'].get.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'name', in: 'query' })]),
      );
      expect(Object.keys(paths['/logout'])).toEqual(['get']);
      expect(Object.keys(paths['/admin/users/{id}/verify'])).toEqual(['post']);
    });
  });
});

describe('request body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_KB: '1' });
  });
  afterAll(() => t.close());

  it('a JSON or form body over BODY_LIMIT_KB is 413 10003', async () => {
    expectErrorEnvelope(await t.http.post('/login').send({ phone: 'x'.repeat(2048) }), 413, 10003);
    expectErrorEnvelope(
      await t.http
        .post('/login')
        .type('form')
        .send(`phone=${'x'.repeat(2048)}`),
      413,
      10003,
    );
  });

  it('a body under the limit is read normally', async () => {
    const res = await t.http.post('/login').send({ phone: '12345', pwd: 'secret123', type: 1 });
    expect(expectErrorEnvelope(res, 400, 10001).data).toEqual({ field: 'phone' });
  });
});

describe('requests the HTTP parser refuses', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Writes raw bytes and reads the whole answer (the server closes the connection after it). */
  const raw = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });

  const envelopeOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as unknown;

  it('a URL over the header limit is 431 10007 in the envelope', async () => {
    const answer = await raw(`GET /city?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(envelopeOf(answer)).toEqual({ error_code: 10007, data: null, error_message: expect.any(String) });
  });

  it('a broken request line is 400 in the envelope', async () => {
    const answer = await raw('NOT A REQUEST\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(envelopeOf(answer)).toMatchObject({ error_code: 10002, data: null });
  });
});

describe('an internal failure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is a bare 500 10000: no stack, no SQL, no table name', async () => {
    await t.db.query('ALTER TABLE region RENAME TO region_gone');
    const res = await t.http.get('/city');
    const body = expectErrorEnvelope(res, 500, 10000);
    expect(body.data).toBeNull();
    expect(res.text).not.toContain('region');
  });
});
