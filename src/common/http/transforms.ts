import { Transform } from 'class-transformer';

/**
 * Array parameters arrive as a JSON array, repeated `a[]=` keys (already an array), a JSON string of an array,
 * or a single value. Anything else is left as is for the validators to reject.
 */
export function ToArray(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null || Array.isArray(value)) return value;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.startsWith('[')) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return value;
        }
      }
      return text === '' ? [] : [text];
    }
    return value;
  });
}

/**
 * Integers from query strings and form bodies, which carry text. Non-numeric text stays text and fails @IsInt.
 * With `fallback`, an absent or empty value (`?current_page=`) takes it.
 */
export function ToInt(fallback?: number): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (fallback !== undefined && (value === undefined || value === null || value === '')) return fallback;
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    return value;
  });
}

export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** Apps send unused filters as empty keys (`?verify_status=`): that means "no filter". */
export function BlankAsAbsent(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? undefined : value,
  );
}
