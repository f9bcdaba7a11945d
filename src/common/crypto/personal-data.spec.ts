import { randomBytes } from 'node:crypto';
import { validateEnv } from 'src/config/env.schema';
import { PersonalDataCipher } from './personal-data';
import { redactPersonalData } from './redaction';

const key = () => randomBytes(32).toString('base64');

describe('PersonalDataCipher', () => {
  const k1 = key();
  const k2 = key();
  const hashKey = key();
  const underKey1 = PersonalDataCipher.fromSettings({
    NODE_ENV: 'production',
    PII_KEYS: `1:${k1}`,
    PII_HASH_KEY: hashKey,
  });
  const rotated = PersonalDataCipher.fromSettings({
    NODE_ENV: 'production',
    PII_KEYS: `1:${k1},2:${k2}`,
    PII_HASH_KEY: hashKey,
  });

  it('seals under the current version with a fresh IV each time, and opens back', () => {
    const a = underKey1.seal('phone', '13800000001');
    const b = underKey1.seal('phone', '13800000001');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('13800000001');
    expect(underKey1.open('phone', a)).toBe('13800000001');
  });

  it('after a rotation, seals under the highest version and still opens values of the older key', () => {
    const old = underKey1.seal('idno', '11010519491231002X');
    expect(rotated.version).toBe(2);
    expect(rotated.open('idno', old)).toBe('11010519491231002X');
    expect(rotated.seal('idno', '11010519491231002X')).toMatch(/^v2:/);
    const retired = PersonalDataCipher.fromSettings({
      NODE_ENV: 'production',
      PII_KEYS: `2:${k2}`,
      PII_HASH_KEY: hashKey,
    });
    expect(() => retired.open('idno', old)).toThrow(/not sealed under a configured key/);
  });

  it('PII_KEY_VERSION picks the key that seals; it must be one of PII_KEYS', () => {
    const pinned = PersonalDataCipher.fromSettings({
      NODE_ENV: 'production',
      PII_KEYS: `1:${k1},2:${k2}`,
      PII_KEY_VERSION: 1,
      PII_HASH_KEY: hashKey,
    });
    expect(pinned.seal('phone', '13800000001')).toMatch(/^v1:/);
    expect(() =>
      PersonalDataCipher.fromSettings({ NODE_ENV: 'test', PII_KEYS: `1:${k1}`, PII_KEY_VERSION: 3 }),
    ).toThrow(/PII_KEY_VERSION/);
  });

  it('refuses tampered values and a value of another kind (the kind is authenticated)', () => {
    const sealed = underKey1.seal('phone', '13800000001');
    expect(() => underKey1.open('idno', sealed)).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => underKey1.open('phone', `v1:${raw.toString('base64')}`)).toThrow();
    expect(() => underKey1.open('phone', '13800000001')).toThrow(/not sealed/);
  });

  it('lookup hashes are stable, differ by kind and depend on the hash key only', () => {
    const h = underKey1.lookupHash('phone', '13800000001');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.lookupHash('phone', '13800000001')).toBe(h);
    expect(underKey1.lookupHash('idno', '13800000001')).not.toBe(h);
    const otherHashKey = PersonalDataCipher.fromSettings({
      NODE_ENV: 'production',
      PII_KEYS: `1:${k1}`,
      PII_HASH_KEY: key(),
    });
    expect(otherHashKey.lookupHash('phone', '13800000001')).not.toBe(h);
  });

  it('phone search tokens cover every fragment of 4 digits or more, and only those', () => {
    const tokens = underKey1.phoneSearchTokens('13800000001');
    expect(tokens).toContain(underKey1.phoneFragmentToken('13800000001'));
    expect(tokens).toContain(underKey1.phoneFragmentToken('0001'));
    expect(tokens).toContain(underKey1.phoneFragmentToken('3800000'));
    expect(tokens).not.toContain(underKey1.phoneFragmentToken('0002'));
    expect(underKey1.phoneFragmentToken('001')).toBeUndefined();
    expect(underKey1.phoneFragmentToken('张三')).toBeUndefined();
    expect(tokens.join('')).not.toContain('3800000');
  });

  it('outside production fixed development keys stand in for missing ones; production refuses to start without', () => {
    const dev = PersonalDataCipher.fromSettings({ NODE_ENV: 'development' });
    const test = PersonalDataCipher.fromSettings({ NODE_ENV: 'test' });
    expect(test.open('phone', dev.seal('phone', '13800000001'))).toBe('13800000001');
    expect(test.lookupHash('phone', '13800000001')).toBe(dev.lookupHash('phone', '13800000001'));
    const production = { NODE_ENV: 'production', APP_SECRET: 'a-real-secret-of-some-length' };
    expect(() => validateEnv(production)).toThrow(/PII_KEYS and PII_HASH_KEY: required/);
    expect(() => validateEnv({ ...production, PII_KEYS: `1:${k1}` })).toThrow(/PII_HASH_KEY/);
    expect(validateEnv({ ...production, PII_KEYS: `1:${k1}`, PII_HASH_KEY: hashKey }).PII_KEYS).toBe(
      `1:${k1}`,
    );
  });

  it.each([
    ['a key of the wrong length', `1:${randomBytes(16).toString('base64')}`],
    ['no version', k1],
    ['version 0', `0:${k1}`],
    ['a repeated version', `1:${k1},1:${k2}`],
  ])('a bad PII_KEYS (%s) stops start-up naming the variable', (_, keys) => {
    expect(() => validateEnv({ PII_KEYS: keys })).toThrow(/PII_KEYS/);
  });
});

describe('redactPersonalData', () => {
  it('masks mobile numbers and ID numbers in free text, and leaves other numbers alone', () => {
    const text =
      'SendSms to 13800000001 failed; id 11010519491231002X; sn D2025112312000012345678; at 1763900123456; x138000000012';
    expect(redactPersonalData(text)).toBe(
      'SendSms to 138****0001 failed; id 1101**********002X; sn D2025112312000012345678; at 1763900123456; x138000000012',
    );
  });
});
