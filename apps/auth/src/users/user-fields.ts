import { z } from 'zod';

/**
 * The rules for a user's fields, shared by every request that carries them. 254 characters is the
 * longest address SMTP can deliver to (RFC 5321 path limit); stored trimmed, as the user typed it.
 */
export const emailField = z.string().trim().max(254).check(z.email('must be an email address'));

/** 8 is NIST SP 800-63B's minimum; 128 keeps argon2's input (and a hostile request) bounded. */
export const passwordField = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

/** What PATCH and DELETE /users/me check; like login, not held to the registration rules. */
export const currentPasswordField = z.string().min(1).max(128);

/** Shown to other users and published in events (whose schema also caps it at 100). */
export const displayNameField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^\P{Cc}*$/u, 'must not contain control characters');
