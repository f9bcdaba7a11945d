import { slotLabel, splitSlots } from './slots';

describe('splitSlots', () => {
  it('reproduces the contract example: 74 people over 15:23–20:53 in 30-minute slots', () => {
    const slots = splitSlots('15:23:00', '20:53:00', 74, 30);
    expect(slots.map(slotLabel)).toEqual([
      '15:23:00 - 15:53:00',
      '15:53:00 - 16:23:00',
      '16:23:00 - 16:53:00',
      '16:53:00 - 17:23:00',
      '17:23:00 - 17:53:00',
      '17:53:00 - 18:23:00',
      '18:23:00 - 18:53:00',
      '18:53:00 - 19:23:00',
      '19:23:00 - 19:53:00',
      '19:53:00 - 20:23:00',
      '20:23:00 - 20:53:00',
    ]);
    expect(slots.map((s) => s.capacity)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6]);
  });

  it('ends the last slot at the window end when it does not divide evenly', () => {
    const slots = splitSlots('09:00:00', '10:45:00', 8, 30);
    expect(slots.map(slotLabel)).toEqual([
      '09:00:00 - 09:30:00',
      '09:30:00 - 10:00:00',
      '10:00:00 - 10:30:00',
      '10:30:00 - 10:45:00',
    ]);
    expect(slots.map((s) => s.capacity)).toEqual([2, 2, 2, 2]);
  });

  it('gives the earliest slots the seats when there are fewer people than slots', () => {
    expect(splitSlots('08:00:00', '10:00:00', 3, 30).map((s) => s.capacity)).toEqual([1, 1, 1, 0]);
  });

  it('keeps the total and honours other slot lengths', () => {
    const slots = splitSlots('13:00:00', '17:10:00', 1000, 20);
    expect(slots).toHaveLength(13);
    expect(slots.reduce((a, s) => a + s.capacity, 0)).toBe(1000);
    expect(slots.at(-1)).toMatchObject({ begin: '17:00:00', end: '17:10:00' });
  });
});
