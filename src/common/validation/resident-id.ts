import { registerDecorator, ValidationOptions } from 'class-validator';
import { today } from 'src/common/time';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export interface ResidentIdInfo {
  /** 1 male, 2 female. */
  sex: 1 | 2;
  birthday: string;
}

/** Parses an 18-character resident ID (GB 11643): check digit, real birth date. Undefined when invalid. */
export function parseResidentId(raw: string, now: Date = new Date()): ResidentIdInfo | undefined {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return undefined;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) return undefined;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  const birthday = id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14);
  // Compared as dates in the platform zone: someone born today in Shanghai is not "in the future" merely
  // because UTC midnight of that day is still ahead (00:00-08:00 Shanghai time).
  if (y < 1900 || birthday > today(now)) return undefined;
  return { sex: Number(id[16]) % 2 === 1 ? 1 : 2, birthday };
}

export function IsResidentId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isResidentId',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '身份证号不正确', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseResidentId(value) !== undefined,
      },
    });
}
