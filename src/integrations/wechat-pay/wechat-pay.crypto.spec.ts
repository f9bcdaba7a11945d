import { generateKeyPairSync, KeyObject } from 'node:crypto';
import {
  buildAuthorization,
  buildPayParams,
  decryptResource,
  encryptResource,
  normalizePem,
  parseAuthorization,
  requestMessage,
  rsaSign,
  rsaVerify,
  shanghaiRfc3339,
  signMessage,
  signWechatpayMessage,
  verifyWechatpaySignature,
} from './wechat-pay.crypto';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const intruder = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000000001';
const API_V3_KEY = '0123456789abcdef0123456789ABCDEF';
const keys = new Map<string, KeyObject>([[KEY_ID, platform.publicKey]]);
const privatePem = merchant.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('SHA256withRSA', () => {
  it('signs and verifies; any change to the message or signature fails; garbage is false, not a throw', () => {
    const sig = rsaSign(merchant.privateKey, 'hello\n');
    expect(rsaVerify(merchant.publicKey, 'hello\n', sig)).toBe(true);
    expect(rsaVerify(merchant.publicKey, 'hello \n', sig)).toBe(false);
    expect(rsaVerify(intruder.publicKey, 'hello\n', sig)).toBe(false);
    expect(rsaVerify(merchant.publicKey, 'hello\n', 'not base64!')).toBe(false);
    expect(rsaVerify(merchant.publicKey, 'hello\n', '')).toBe(false);
  });

  it('accepts PEM with literal \\n escapes (one-line env values)', () => {
    const oneLine = privatePem.replace(/\n/g, '\\n');
    expect(normalizePem(oneLine)).toBe(privatePem);
    expect(rsaVerify(merchant.publicKey, 'x', rsaSign(oneLine, 'x'))).toBe(true);
  });
});

describe('Authorization header', () => {
  const body = '{"appid":"wx1","amount":{"total":100}}';
  const header = buildAuthorization({
    mchId: '1900000001',
    serialNo: 'ABC123',
    privateKey: privatePem,
    method: 'POST',
    pathWithQuery: '/v3/pay/transactions/jsapi',
    body,
    timestamp: '1700000000',
    nonce: 'NONCE0123',
  });

  it('has the documented scheme and fields', () => {
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="NONCE0123",signature="[A-Za-z0-9+/]+=*",timestamp="1700000000",serial_no="ABC123"$/,
    );
  });

  it('signs METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY\\n, as WeChat checks it', () => {
    const parsed = parseAuthorization(header);
    expect(parsed).toMatchObject({
      mchid: '1900000001',
      nonce_str: 'NONCE0123',
      timestamp: '1700000000',
      serial_no: 'ABC123',
    });
    const message = `POST\n/v3/pay/transactions/jsapi\n1700000000\nNONCE0123\n${body}\n`;
    expect(
      requestMessage('post', '/v3/pay/transactions/jsapi', '1700000000', 'NONCE0123', body).toString(),
    ).toBe(message);
    expect(rsaVerify(merchant.publicKey, message, parsed!.signature)).toBe(true);
    // Another path, another body, or a GET with the body: the signature no longer matches.
    expect(rsaVerify(merchant.publicKey, message.replace('jsapi', 'app'), parsed!.signature)).toBe(false);
    expect(rsaVerify(merchant.publicKey, message.replace('100', '1'), parsed!.signature)).toBe(false);
  });

  it('a GET signs an empty body line', () => {
    expect(requestMessage('GET', '/v3/x?mchid=1', '1', 'n', '').toString()).toBe(
      'GET\n/v3/x?mchid=1\n1\nn\n\n',
    );
  });

  it('parses fields in any order and rejects malformed headers', () => {
    expect(
      parseAuthorization(
        'WECHATPAY2-SHA256-RSA2048 serial_no="S",timestamp="1",signature="c2ln",nonce_str="n",mchid="m"',
      ),
    ).toEqual({ mchid: 'm', nonce_str: 'n', signature: 'c2ln', timestamp: '1', serial_no: 'S' });
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('Bearer x')).toBeUndefined();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="m",nonce_str="n"')).toBeUndefined();
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="m" junk')).toBeUndefined();
  });
});

describe('wx.requestPayment params', () => {
  it('signs appId\\ntimeStamp\\nnonceStr\\npackage\\n with the merchant key', () => {
    const p = buildPayParams({
      appId: 'wxapp',
      prepayId: 'wx201410272009395522657a690389285100',
      privateKey: privatePem,
    });
    expect(p).toMatchObject({
      appId: 'wxapp',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    expect(p.nonceStr.length).toBeLessThanOrEqual(32);
    const message = `wxapp\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(rsaVerify(merchant.publicKey, message, p.paySign)).toBe(true);
  });
});

describe('verifying Wechatpay-* signatures', () => {
  const body = Buffer.from('{"id":"EV-1","event_type":"TRANSACTION.SUCCESS","amount":1}');
  const now = 1_700_000_000_000;
  const signed = signWechatpayMessage({
    privateKey: platform.privateKey,
    serial: KEY_ID,
    body,
    timestamp: '1700000000',
  });

  it('accepts the exact bytes signed by the named key', () => {
    expect(signMessage(['1700000000', signed.nonce, body]).toString()).toBe(
      `1700000000\n${signed.nonce}\n${body.toString()}\n`,
    );
    expect(verifyWechatpaySignature({ headers: signed, body, keys, now })).toEqual({ ok: true });
  });

  it('rejects a tampered body, a forged signature, an unknown serial, missing headers', () => {
    const tampered = Buffer.from(body.toString().replace('"amount":1', '"amount":9'));
    expect(verifyWechatpaySignature({ headers: signed, body: tampered, keys, now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const forged = signWechatpayMessage({
      privateKey: intruder.privateKey,
      serial: KEY_ID,
      body,
      timestamp: '1700000000',
    });
    expect(verifyWechatpaySignature({ headers: forged, body, keys, now })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      verifyWechatpaySignature({ headers: { ...signed, serial: 'PUB_KEY_ID_OTHER' }, body, keys, now }),
    ).toEqual({
      ok: false,
      reason: 'unknown_serial',
    });
    expect(
      verifyWechatpaySignature({ headers: { ...signed, signature: undefined }, body, keys, now }),
    ).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    // The same bytes re-serialised (whitespace) are not the signed bytes.
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifyWechatpaySignature({ headers: signed, body: reformatted, keys, now }).ok).toBe(false);
  });

  it('rejects timestamps more than 5 minutes away, either way', () => {
    expect(verifyWechatpaySignature({ headers: signed, body, keys, now: now + 300_000 }).ok).toBe(true);
    expect(verifyWechatpaySignature({ headers: signed, body, keys, now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWechatpaySignature({ headers: signed, body, keys, now: now - 301_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWechatpaySignature({ headers: { ...signed, timestamp: 'soon' }, body, keys, now })).toEqual({
      ok: false,
      reason: 'stale',
    });
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  const plain = JSON.stringify({
    out_trade_no: 'SN20250101000001',
    amount: { total: 5000 },
    note: '义诊押金',
  });

  it('round-trips: iv = nonce, AAD = associated_data, tag = last 16 bytes', () => {
    const res = encryptResource(plain, API_V3_KEY, { nonce: 'abcdef012345', associatedData: 'transaction' });
    expect(res).toMatchObject({
      algorithm: 'AEAD_AES_256_GCM',
      nonce: 'abcdef012345',
      associated_data: 'transaction',
    });
    expect(Buffer.from(res.ciphertext, 'base64').length).toBe(Buffer.byteLength(plain) + 16);
    expect(decryptResource(res, API_V3_KEY)).toBe(plain);
  });

  it('fails on a wrong key, a changed AAD, nonce or ciphertext, or another algorithm', () => {
    const res = encryptResource(plain, API_V3_KEY);
    expect(() => decryptResource(res, 'ffffffffffffffffffffffffffffffff')).toThrow();
    expect(() => decryptResource({ ...res, associated_data: 'refund' }, API_V3_KEY)).toThrow();
    expect(() => decryptResource({ ...res, nonce: '000000000000' }, API_V3_KEY)).toThrow();
    const bytes = Buffer.from(res.ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(() => decryptResource({ ...res, ciphertext: bytes.toString('base64') }, API_V3_KEY)).toThrow();
    expect(() => decryptResource({ ...res, ciphertext: 'AAAA' }, API_V3_KEY)).toThrow();
    expect(() => decryptResource({ ...res, algorithm: 'AEAD_SM4_GCM' }, API_V3_KEY)).toThrow();
    expect(() => decryptResource(res, 'short')).toThrow();
  });
});

it('time_expire is RFC 3339 in +08:00 whatever the host zone', () => {
  expect(shanghaiRfc3339(new Date('2025-01-01T16:30:00Z'))).toBe('2025-01-02T00:30:00+08:00');
});
