import { nameText, safeText } from '@playball/platform/text';

/**
 * The rules for a user's fields, shared by every request that carries them; every one is
 * well-formed Unicode in NFC (safeText). 254 characters is the longest address SMTP can deliver to
 * (RFC 5321 path limit); stored trimmed, as the user typed it.
 */
export const emailField = safeText().trim().max(254).email('must be an email address');

/**
 * 8 is NIST SP 800-63B's minimum; 128 keeps argon2's input (and a hostile request) bounded. NFC as
 * SP 800-63B §5.1.1.2 asks, at registration, change and login alike, so the same password typed on
 * two keyboards verifies.
 */
export const passwordField = safeText()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

/** A password to check (login, PATCH and DELETE /users/me), not to set: any non-empty one, so that a failed check only ever says it failed. */
export const passwordToCheck = safeText().min(1).max(128);

/** Shown to other users and published in events (whose schema also caps it at 100). */
export const displayNameField = nameText(100);
