import { startTestApp, TestApp } from '../support/test-app';

describe('health, docs and the envelope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports liveness and database readiness in the envelope', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.error_code).toBe(0);
    expect(res.body.error_message).toBe('');
    expect(res.body.data.info.database.status).toBe('up');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('GET /health/live answers without a token or the database', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.body).toEqual({ error_code: 0, data: { status: 'up' }, error_message: '' });
  });
});
