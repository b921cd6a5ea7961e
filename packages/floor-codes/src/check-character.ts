/**
 * ISO/IEC 7064 MOD 1271-36: two check characters over digits and letters. The sum of every
 * character times 36 to its distance from the end is 1 modulo 1271 (= 31 x 41, coprime to 36 and
 * to 35), so one wrong character, and a swap of two different neighbours anywhere (the check
 * characters included), always break it: the mistakes of a person typing a code off a smudged
 * traveler and of a scanner misreading a bar. (The one-character MOD 37,36 misses about one
 * neighbour swap in 700.)
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const R = 36;
const M = 1271;

function value(ch: string): number {
  const v = ALPHABET.indexOf(ch);
  if (v < 0) throw new Error(`"${ch}" is not a digit or an upper-case letter`);
  return v;
}

/** The two check characters of `chars` (digits and upper-case letters only). */
export function checkCharacters(chars: string): string {
  let p = 0;
  for (const ch of chars) p = ((p + value(ch)) * R) % M;
  p = (p * R) % M;
  const c = (M + 1 - p) % M;
  return ALPHABET[Math.floor(c / R)]! + ALPHABET[c % R]!;
}

/** True when the last two characters of `charsWithCheck` are the check characters of the rest. */
export function hasValidCheck(charsWithCheck: string): boolean {
  if (charsWithCheck.length < 3) return false;
  try {
    return checkCharacters(charsWithCheck.slice(0, -2)) === charsWithCheck.slice(-2);
  } catch {
    return false;
  }
}
