import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expectError, operatorToken, registerAccount } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

// ---- tiny but valid images ------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A 1x1 RGB PNG; `padding` bytes of tEXt make it as large as a test needs while staying valid; `animated` adds
 * the acTL chunk of an APNG (one frame, which is then the IDAT).
 */
function png(padding = 0, animated = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const scanline = Buffer.from([0, 0xd0, 0x20, 0x40]); // filter 0 + one pixel
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (animated) parts.push(chunk('acTL', Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])));
  if (padding > 0)
    parts.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(padding, 0x61)])));
  parts.push(chunk('IDAT', deflateSync(scanline)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** 16x16 baseline JFIF (CPython's test image). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);
/** 1x1 GIF89a. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** 16x16 WebP (CPython's test image). */
const WEBP = Buffer.from(
  'UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTleucYX+ffKpmImP90cY3gJjDi4Yt3MsjBEVyDKzDosHgVjnhRNcEIDAJPkqBqsFUZHNa2bUYvTsZ2PLbtd/uvKa4hov9J0f2PkPe6REkkGzolkTTzFG0Ox9PlFiD0CxS+kOGDtxoynjaCfx0pfk52CPuInrOR75lzRugygtv4zEiy90UwfSD9NheMITJWLaXWayO8XeOlWRXVnIGk2W6WdYoYMQ+KqixQNPowgt+6a1BSKbUtz+lUFAoBAAAAVlA4IL4AAACQAgCdASoQABAAAwA0JbACdDBPCIUMfAMdCCz96AD+/XSg/QKbH4r3Q3ycN/bSDK/T/zVo4u6nvclvG/SqxWOuup+XhN9BojvaW+Tv+MvxvX/hr/o/5Qns9LtmX/+qKdl/yWznhuasl7nkxvSTI4xf3Y85VSB/lU/8Ofj/b9JrA+ifvIOYZm2x1RP/dhfmsf5diuSfR7+z+r/+HR3zEo/+XM/B+vkYw73Pzx+ROaAB/ZoBSzEs3rzZe6qsAAAA',
  'base64',
);

// ---- helpers ---------------------------------------------------------------------------------------------------

/** Every file under `dir`, recursively, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const URL_PATTERN =
  /^http:\/\/files\.test\/uploads\/(\d{6})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\w+)$/;

const ADMIN_PHONE = '13700001111';
const ADMIN_PASSWORD = 'operator-pass-1';

describe('image uploads: POST /imgupload', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_PHONE, ADMIN_PASSWORD });
    token = (await registerAccount(t.http, 1)).token;
  });
  afterAll(() => t.close());

  const upload = (bytes: Buffer, filename: string, contentType: string, as = token) =>
    t.http.post('/imgupload').set('X-auth-token', as).attach('file', bytes, { filename, contentType });

  /** Uploads, checks the URL shape, then fetches it back from the app and compares the bytes. */
  async function uploadAndFetch(
    bytes: Buffer,
    filename: string,
    contentType: string,
    ext: string,
    as = token,
  ) {
    const res = await upload(bytes, filename, contentType, as);
    expect(res.status).toBe(200);
    expect(res.body.error_code).toBe(0);
    expect(res.body.error_message).toBe('');
    expect(Object.keys(res.body.data)).toEqual(['url']);
    const url = res.body.data.url as string;
    const m = URL_PATTERN.exec(url);
    expect(m).not.toBeNull();
    expect(m![3]).toBe(ext);
    const path = new URL(url).pathname;
    const served = await t.http.get(path).responseType('blob').expect(200);
    expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(readFileSync(join(t.uploadDir, m![1], `${m![2]}.${m![3]}`)).equals(bytes)).toBe(true);
    return { url, path, served };
  }

  it('stores a PNG and serves the same bytes back at the returned URL', async () => {
    const { served, path } = await uploadAndFetch(png(), 'a.png', 'image/png', 'png');
    expect(served.headers['content-type']).toMatch(/^image\/png/);
    expect(served.headers['x-request-id']).toBeDefined();
    // the month folder is the current one in the platform zone (Asia/Shanghai)
    const month = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    })
      .format(new Date())
      .replace('-', '');
    expect(path.split('/')[2]).toBe(month);
  });

  it('stores a JPEG, a GIF and a WebP under their detected extensions', async () => {
    const jpg = await uploadAndFetch(JPEG, 'photo.jpeg', 'image/jpeg', 'jpg');
    expect(jpg.served.headers['content-type']).toMatch(/^image\/jpeg/);
    await uploadAndFetch(GIF, 'anim.gif', 'image/gif', 'gif');
    await uploadAndFetch(WEBP, 'pic.webp', 'image/webp', 'webp');
  });

  it('an animated PNG is stored as a PNG', async () => {
    await uploadAndFetch(png(0, true), 'sticker.png', 'image/apng', 'png');
  });

  it('decides the type by content, not by the name or type the client claims', async () => {
    await uploadAndFetch(png(), 'notes.txt', 'text/plain', 'png');
  });

  it('gives every upload a fresh name', async () => {
    const a = await upload(png(), 'same.png', 'image/png').expect(200);
    const b = await upload(png(), 'same.png', 'image/png').expect(200);
    expect(a.body.data.url).not.toBe(b.body.data.url);
  });

  it('any authenticated role may upload: doctor, assistant and operator', async () => {
    const doctor = await registerAccount(t.http, 2);
    const assistant = await registerAccount(t.http, 3);
    const operator = await operatorToken(t.http, ADMIN_PHONE, ADMIN_PASSWORD);
    for (const as of [doctor.token, assistant.token, operator]) {
      await uploadAndFetch(png(), 'a.png', 'image/png', 'png', as);
    }
  });

  describe('refusals write nothing', () => {
    let before: string[];
    beforeEach(() => {
      before = filesUnder(t.uploadDir);
    });
    afterEach(() => {
      expect(filesUnder(t.uploadDir)).toEqual(before);
    });

    it('a text file named x.png sent as image/png is 415 10011', async () => {
      const res = await upload(Buffer.from('hello, I am not a picture\n'.repeat(20)), 'x.png', 'image/png');
      expectError(res, 415, 10011);
    });

    it('an SVG (script-capable markup) is refused as not an image', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>',
      );
      expectError(await upload(svg, 'x.svg', 'image/svg+xml'), 415, 10011);
    });

    it('HTML behind a GIF name is refused', async () => {
      expectError(
        await upload(Buffer.from('<html><body>hi</body></html>'), 'x.gif', 'image/gif'),
        415,
        10011,
      );
    });

    it('an empty file is 400 10010', async () => {
      expectError(await upload(Buffer.alloc(0), 'empty.png', 'image/png'), 400, 10010);
    });

    it('a multipart body without a file field is 400', async () => {
      const res = await t.http.post('/imgupload').set('X-auth-token', token).field('name', 'x.png');
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe(10010);
      expect(res.body.error_message).toEqual(expect.any(String));
    });

    it('a JSON body is 400', async () => {
      const res = await t.http.post('/imgupload').set('X-auth-token', token).send({ file: 'x' });
      expect(res.status).toBe(400);
      expect([10001, 10010]).toContain(res.body.error_code);
    });

    it('a file under another field name is 400 10001 naming the field', async () => {
      const res = await t.http
        .post('/imgupload')
        .set('X-auth-token', token)
        .attach('image', png(), { filename: 'a.png', contentType: 'image/png' });
      expectError(res, 400, 10001);
      expect(res.body.data).toEqual({ field: 'file' });
    });

    it('two files in one request are 400', async () => {
      const res = await t.http
        .post('/imgupload')
        .set('X-auth-token', token)
        .attach('file', png(), { filename: 'a.png', contentType: 'image/png' })
        .attach('file', png(), { filename: 'b.png', contentType: 'image/png' });
      expectError(res, 400, 10001);
    });

    it('no token is 401 20001, a bad token 401 20002', async () => {
      const anonymous = await t.http
        .post('/imgupload')
        .attach('file', png(), { filename: 'a.png', contentType: 'image/png' });
      expectError(anonymous, 401, 20001);
      expectError(await upload(png(), 'a.png', 'image/png', 'not-a-real-token'), 401, 20002);
    });
  });

  it('a missing upload is the 404 envelope, and nothing outside the upload folder is served', async () => {
    expectError(await t.http.get('/uploads/202401/00000000-0000-0000-0000-000000000000.png'), 404, 10004);
    const traversal = await t.http.get('/uploads/..%2f..%2f..%2fetc%2fpasswd');
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(traversal.text).not.toContain('root:');
  });
});

describe('image uploads: size cap', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ UPLOAD_MAX_BYTES: '1024' });
    token = (await registerAccount(t.http, 1)).token;
  });
  afterAll(() => t.close());

  it('a file over UPLOAD_MAX_BYTES is 413 10012 and nothing is written', async () => {
    const big = png(2000);
    expect(big.length).toBeGreaterThan(1024);
    const res = await t.http
      .post('/imgupload')
      .set('X-auth-token', token)
      .attach('file', big, { filename: 'big.png', contentType: 'image/png' });
    expectError(res, 413, 10012);
    expect(filesUnder(t.uploadDir)).toEqual([]);
  });

  it('a file of exactly the cap is accepted', async () => {
    const exact = png(1024 - png(0).length - 12 - 'Comment\0'.length);
    expect(exact.length).toBe(1024);
    const res = await t.http
      .post('/imgupload')
      .set('X-auth-token', token)
      .attach('file', exact, { filename: 'ok.png', contentType: 'image/png' });
    expect(res.status).toBe(200);
    expect(filesUnder(t.uploadDir)).toHaveLength(1);
  });
});
