import { linkingcloudSign, SIGN_MODES, SignMode, signingString } from './linkingcloud.sign';

/** The toy input of PARTNERS.md §2, secret `S`. */
const TOY = { access_token: 'T', method: 'lc.ask.upload.user', openid: 'o1', patient_tel: '13800000000' };
const VECTORS: Record<SignMode, string> = {
  suffix: 'bf8126bf63a1d0f4fe1d5b1f1093b18d',
  wxpay: 'a5d4d0514d2a2f9bbea2349d544f5da4',
  amp: '55820af44d8970264781a61c61f3d0ce',
  hmac: '770d903919e90bbcc06749323d6e9e2f',
  wrap: '7507e671537f7a32a990cc6f044fb885',
};

describe('linkingcloudSign (doc §2.3)', () => {
  it('has a vector for every mode', () => {
    expect(Object.keys(VECTORS).sort()).toEqual([...SIGN_MODES].sort());
  });

  it.each(Object.entries(VECTORS))('%s → %s (lowercase hex by default)', (mode, expected) => {
    expect(linkingcloudSign(TOY, 'S', { mode: mode as SignMode })).toBe(expected);
  });

  it.each(Object.entries(VECTORS))('%s in uppercase hex', (mode, expected) => {
    expect(linkingcloudSign(TOY, 'S', { mode: mode as SignMode, case: 'upper' })).toBe(
      expected.toUpperCase(),
    );
  });

  it('defaults to suffix: MD5(str + secret)', () => {
    expect(linkingcloudSign(TOY, 'S')).toBe(VECTORS.suffix);
  });

  it('matches the WeChat Pay v2 vector in wxpay mode', () => {
    const params = {
      appid: 'wxd930ea5d5a258f4f',
      mch_id: '10000100',
      device_info: '1000',
      body: 'test',
      nonce_str: 'ibuaiVcKdpRxkhJA',
    };
    expect(
      linkingcloudSign(params, '192006250b4c09247ec02edce69f6a2d', { mode: 'wxpay', case: 'upper' }),
    ).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
  });

  it('leaves out sign and empty values, whatever order the fields come in', () => {
    const shuffled = { patient_tel: '13800000000', sign: 'x', openid: 'o1', patient_avatar: '', nick: null };
    expect(signingString({ ...shuffled, method: 'lc.ask.upload.user', access_token: 'T' })).toBe(
      'access_token=T&method=lc.ask.upload.user&openid=o1&patient_tel=13800000000',
    );
    expect(linkingcloudSign({ ...shuffled, ...TOY, patient_nickname: undefined }, 'S')).toBe(VECTORS.suffix);
  });

  it('sorts by byte order: "_" (0x5F) after capitals, before lowercase', () => {
    expect(signingString({ a_b: 1, aB: 2, ab: 3, A: 4 })).toBe('A=4&aB=2&a_b=1&ab=3');
  });
});
