import { z } from 'zod';

/**
 * A lone UTF-16 surrogate (`"x\ud800y"` in JSON) is valid JSON but not Unicode: the PostgreSQL
 * driver encodes it as U+FFFD, so what is stored differs from what was sent, and jsonb refuses it
 * outright (a 500 on POST /groups before this check). With the `u` flag only a lone surrogate is
 * a `Cs` code point; a well-formed pair reads as one astral character.
 */
const loneSurrogate = /\p{Cs}/u;

/**
 * Characters a reader cannot see or that change how the text around them is shown: controls (Cc),
 * format characters (Cf: the bidi controls U+202A–202E, U+2066–2069, U+200E/F, U+061C, the zero
 * width U+200B–200D, U+2060, U+FEFF, the soft hyphen), private use (Co), line and paragraph
 * separators, and the Hangul fillers that render as blanks. Any of them lets one name pass for another.
 */
const hidden = /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/u;

/**
 * Any text a request carries: refused (400) unless it is well-formed Unicode, then normalised to
 * NFC so that one text has one stored form (`é` typed precomposed or as e + U+0301 is the same).
 * Length checks chained after it count the normalised text.
 */
export function safeText() {
  return z
    .string()
    .refine((value) => !loneSurrogate.test(value), {
      message: 'must be valid Unicode (no lone surrogate)',
      abort: true,
    })
    .normalize('NFC');
}

/**
 * A name other users see (a display name, a group name): safe text, trimmed, 1 to `max`
 * characters, without invisible or direction-changing characters.
 */
export function nameText(max = 100) {
  return safeText()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !hidden.test(value), 'must not contain control, bidi, zero-width or other invisible characters');
}
