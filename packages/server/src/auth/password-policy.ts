import { AppError } from '../platform/errors.js';
import { randomPassword } from './password.js';

/**
 * What a password must be (ADR 0012): at least 12 characters; not one of the most common
 * passwords, nor such a word with digits or symbols around it ("Password2026!"); not containing
 * the user name; not a run like "123456789012" or a few characters repeated. Length does most of
 * the work; the rest refuses what guessing lists try first. Applies to new users, password
 * changes, `kerf admin reset` and KERF_ADMIN_PASSWORD.
 */
export const MIN_PASSWORD_LENGTH = 12;

// The most common passwords and their bases (from public breach lists), lower case.
const COMMON = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'pass',
  'passwort',
  'motdepasse',
  'contraseña',
  'qwerty',
  'qwertz',
  'azerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbnm',
  'qazwsx',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwe',
  'asd',
  'abc',
  'iloveyou',
  'letmein',
  'welcome',
  'changeme',
  'secret',
  'admin',
  'administrator',
  'root',
  'login',
  'master',
  'monkey',
  'dragon',
  'shadow',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'soccer',
  'hockey',
  'superman',
  'batman',
  'trustno',
  'trustno1',
  'freedom',
  'whatever',
  'starwars',
  'computer',
  'michael',
  'jennifer',
  'charlie',
  'default',
  'guest',
  'test',
  'kerf',
  'kerfmes',
  'passwordpassword',
  'qwertyqwerty',
  'iloveyouiloveyou',
  '123qwe',
  'qwe123',
  'abc123',
  '123abc',
]);

function isRun(s: string): boolean {
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    // 9 -> 0 continues "...7890123"
    const wraps = step === 1 ? s[i - 1] === '9' && s[i] === '0' : s[i - 1] === '0' && s[i] === '9';
    if (d !== step && !wraps) return false;
  }
  return true;
}

/** Why `password` is refused for `username`, or undefined when it is fine. */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return 'must not contain the user name';
  // a common word with digits and symbols around it is still that word to a guesser
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON.has(lower) || COMMON.has(core)) return 'is one of the most common passwords (too common); choose another';
  if (new Set(lower).size <= 3) return 'uses too few different characters';
  if (isRun(lower)) return 'is a simple sequence';
  return undefined;
}

/** A random password that passes the policy for `username` (base64url, 16 characters). */
export function generatePassword(username: string): string {
  for (;;) {
    const password = randomPassword();
    if (!passwordProblem(password, username)) return password;
  }
}

/** Throws a 400 naming `password` when the password is refused. */
export function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('validation', 'weak_password', `password: ${problem}`, 'password');
}
