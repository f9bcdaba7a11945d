export interface SlotPlan {
  idx: number;
  begin: string;
  end: string;
  capacity: number;
}

const toMinutes = (hms: string): number => {
  const [h, m, s] = hms.split(':').map(Number);
  return h * 60 + m + (s ?? 0) / 60;
};

const toTime = (minutes: number): string => {
  const total = Math.round(minutes * 60);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
};

/**
 * Cuts the window into `slotMinutes` pieces from `begin` (the last piece ends at `end`) and spreads
 * `people` evenly, the remainder going to the earliest pieces: 74 people over 11 pieces → 7×8 then 6×3.
 */
export function splitSlots(begin: string, end: string, people: number, slotMinutes: number): SlotPlan[] {
  const start = toMinutes(begin);
  const finish = toMinutes(end);
  const count = Math.ceil((finish - start) / slotMinutes);
  const base = Math.floor(people / count);
  const extra = people % count;
  return Array.from({ length: count }, (_, i) => ({
    idx: i,
    begin: toTime(start + i * slotMinutes),
    end: toTime(Math.min(start + (i + 1) * slotMinutes, finish)),
    capacity: base + (i < extra ? 1 : 0),
  }));
}

/** The key the apps use for a slot: `"15:23:00 - 15:53:00"`. */
export const slotLabel = (s: { begin: string; end: string }): string => `${s.begin} - ${s.end}`;
