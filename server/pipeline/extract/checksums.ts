import { isCalendarDate } from './date';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character of the first 17 digits of a resident ID number. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** Region (first digit 1–8) and a real birth date at positions 7–14: shaped like an ID number. */
export function looksLikeIdCard(id: string): boolean {
  if (!/^[1-8]\d{5}(?:19|20)\d{2}/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  return year <= new Date().getFullYear() && isCalendarDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

/** An 18-character resident ID number whose check character is right. */
export function isIdCard(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && looksLikeIdCard(id) && idCardCheckChar(id.slice(0, 17)) === id[17];
}

/** Luhn (mod 10) check used by bank card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
