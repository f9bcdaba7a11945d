import { createHash } from 'node:crypto';
import { parseTopTimestamp, signTopRequest, TopParams, topSystemParams, topTimestamp } from './top-sign';

/** The TOP documentation's example request (articleId 101617), with the sign method left to each case. */
const HELLOWORLD_PARAMS: TopParams = {
  app_key: '12345678',
  fields: 'num_iid,title,nick,price,num',
  format: 'json',
  method: 'taobao.item.seller.get',
  num_iid: '11223344',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  v: '2.0',
};

describe('signTopRequest (PARTNERS §1 vectors)', () => {
  it.each([
    ['md5', '66987CB115214E59E6EC978214934FB8'],
    ['hmac', 'D56D7858309C31B6251083A874D48273'],
    ['hmac-sha256', '04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8'],
  ] as const)('helloworld vector, sign_method=%s', (method, expected) => {
    expect(signTopRequest({ ...HELLOWORLD_PARAMS, sign_method: method }, 'helloworld', method)).toBe(
      expected,
    );
  });

  it('RFC 2202 HMAC-MD5 test case 1 (key 16 × 0x0b, "Hi There")', () => {
    expect(signTopRequest({ Hi: ' There' }, '\x0b'.repeat(16), 'hmac')).toBe(
      '9294727A3638BB1C13F48EF8158BFC9D',
    );
  });

  it('RFC 4231 HMAC-SHA256 test case 1 (key 20 × 0x0b, "Hi There")', () => {
    expect(signTopRequest({ Hi: ' There' }, '\x0b'.repeat(20), 'hmac-sha256')).toBe(
      'B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7',
    );
  });

  it('ignores sign and empty values, and does not depend on the order keys come in', () => {
    const reference = signTopRequest({ ...HELLOWORLD_PARAMS, sign_method: 'md5' }, 'helloworld', 'md5');
    const shuffled: TopParams = Object.fromEntries(
      Object.entries({ ...HELLOWORLD_PARAMS, sign_method: 'md5' }).reverse(),
    );
    expect(
      signTopRequest({ ...shuffled, sign: 'WHATEVER', empty: '', absent: undefined }, 'helloworld', 'md5'),
    ).toBe(reference);
  });

  it('sorts keys by byte order (uppercase before lowercase, "_" between them)', () => {
    // "A" (0x41) < "_" (0x5f) < "a" (0x61): the text signed is A1_2a3.
    const params: TopParams = { a: '3', _: '2', A: '1' };
    expect(signTopRequest(params, 's', 'md5')).toBe(signTopRequest({ A: '1', _: '2', a: '3' }, 's', 'md5'));
    expect(signTopRequest(params, 's', 'md5')).toBe(
      createHash('md5').update('sA1_2a3s').digest('hex').toUpperCase(),
    );
  });

  it('signs JSON values byte for byte, UTF-8 included', () => {
    const request1 = JSON.stringify({ session_id: 's1', content: JSON.stringify({ text: '你好' }) });
    const a = signTopRequest({ request1 }, 'k', 'hmac-sha256');
    expect(a).toMatch(/^[0-9A-F]{64}$/);
    expect(signTopRequest({ request1: request1.replace('你好', '您好') }, 'k', 'hmac-sha256')).not.toBe(a);
  });
});

describe('topTimestamp', () => {
  it('formats in GMT+8 whatever the host zone', () => {
    expect(topTimestamp(new Date('2016-01-01T04:00:00Z'))).toBe('2016-01-01 12:00:00');
    expect(topTimestamp(new Date('2023-12-31T20:30:05.900Z'))).toBe('2024-01-01 04:30:05');
  });

  it('parses back to the same instant (to the second) and refuses other shapes', () => {
    const at = new Date('2024-05-06T07:08:09Z');
    expect(parseTopTimestamp(topTimestamp(at))).toBe(at.getTime());
    expect(parseTopTimestamp('2024-05-06T07:08:09Z')).toBeNaN();
  });
});

describe('topSystemParams', () => {
  it('sets v=2.0, format=json, the sign method, and session/simplify only when given', () => {
    const now = new Date('2016-01-01T04:00:00Z');
    expect(topSystemParams({ method: 'm', appKey: 'k', signMethod: 'hmac', now })).toEqual({
      method: 'm',
      app_key: 'k',
      timestamp: '2016-01-01 12:00:00',
      v: '2.0',
      format: 'json',
      sign_method: 'hmac',
      session: undefined,
      simplify: undefined,
    });
    expect(
      topSystemParams({ method: 'm', appKey: 'k', signMethod: 'md5', session: 'sess', simplify: true, now }),
    ).toMatchObject({ session: 'sess', simplify: 'true' });
  });
});
