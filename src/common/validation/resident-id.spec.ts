import { validateSync } from 'class-validator';
import { IsResidentId, parseResidentId } from './resident-id';

/** GB 11643 check character, computed independently of the code under test. */
function checkChar(first17: string): string {
  const weights = first17.split('').map((_, i) => 2 ** (17 - i) % 11);
  const sum = first17.split('').reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
  return '10X98765432'[sum % 11];
}
/** A full ID for region 110105, the given birth date (YYYYMMDD) and 3-digit sequence. */
const makeId = (birth: string, seq = '123') => {
  const first17 = `110105${birth}${seq}`;
  return first17 + checkChar(first17);
};

const NOW = new Date('2024-06-15T12:00:00+08:00');

describe('parseResidentId', () => {
  it('accepts a valid ID and derives birthday and sex', () => {
    const id = makeId('19800115', '123');
    expect(parseResidentId(id, NOW)).toEqual({ sex: 1, birthday: '1980-01-15' });
  });

  it('accepts the well-known sample 11010519491231002X, upper or lower case X', () => {
    expect(checkChar('11010519491231002')).toBe('X');
    expect(parseResidentId('11010519491231002X', NOW)).toEqual({ sex: 2, birthday: '1949-12-31' });
    expect(parseResidentId('11010519491231002x', NOW)).toEqual({ sex: 2, birthday: '1949-12-31' });
  });

  it('takes sex from the 17th digit: odd male (1), even female (2)', () => {
    for (let d = 0; d <= 9; d += 1) {
      expect(parseResidentId(makeId('19900101', `01${d}`), NOW)?.sex).toBe(d % 2 === 1 ? 1 : 2);
    }
  });

  it('refuses a wrong check digit', () => {
    const good = makeId('19800115');
    for (const c of '0123456789X') {
      if (c === good[17]) continue;
      expect(parseResidentId(good.slice(0, 17) + c, NOW)).toBeUndefined();
    }
  });

  it.each(['19990230', '19990431', '19991301', '19990001', '19990100', '19000229'])(
    'refuses the impossible date %s even with a correct check digit',
    (birth) => {
      expect(parseResidentId(makeId(birth), NOW)).toBeUndefined();
    },
  );

  it('accepts 29 February of a leap year', () => {
    expect(parseResidentId(makeId('20000229'), NOW)?.birthday).toBe('2000-02-29');
  });

  it('refuses births before 1900 and in the future', () => {
    expect(parseResidentId(makeId('18991231'), NOW)).toBeUndefined();
    expect(parseResidentId(makeId('20240616'), NOW)).toBeUndefined();
    expect(parseResidentId(makeId('20300101'), NOW)).toBeUndefined();
    expect(parseResidentId(makeId('20240615'), NOW)?.birthday).toBe('2024-06-15');
  });

  it('judges "today" in the platform zone (Asia/Shanghai), not UTC', () => {
    // 02:00 on 1 May in Shanghai is still 30 April in UTC
    const earlyMorning = new Date('2024-05-01T02:00:00+08:00');
    expect(parseResidentId(makeId('20240501'), earlyMorning)?.birthday).toBe('2024-05-01');
    // 23:00 on 30 April in Shanghai: 1 May is tomorrow
    const lateEvening = new Date('2024-04-30T23:00:00+08:00');
    expect(parseResidentId(makeId('20240501'), lateEvening)).toBeUndefined();
  });

  it.each([
    '',
    '123',
    '11010519800115123',
    '1101051980011512345',
    '11010519800115A234',
    ' 110105198001151234',
  ])('refuses the malformed %p', (raw) => {
    expect(parseResidentId(raw, NOW)).toBeUndefined();
  });
});

describe('@IsResidentId', () => {
  class Holder {
    @IsResidentId()
    idno: unknown;
  }
  const errorsFor = (idno: unknown) => {
    const h = new Holder();
    h.idno = idno;
    return validateSync(h);
  };

  it('passes a valid ID and fails others with a Chinese message', () => {
    expect(errorsFor(makeId('19800115'))).toHaveLength(0);
    const errors = errorsFor(makeId('19990230'));
    expect(errors).toHaveLength(1);
    expect(Object.values(errors[0].constraints ?? {})).toEqual(['身份证号不正确']);
    expect(errorsFor(123456)).toHaveLength(1);
  });
});
