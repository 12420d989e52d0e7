import { z } from 'zod';
import { emailField, passwordToCheck } from '../user-fields';

/** The password is not held to the registration rules here: a failed login only ever says 401. */
export const loginBody = z.strictObject({ email: emailField, password: passwordToCheck });
export type LoginBody = z.output<typeof loginBody>;

export const accessTokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds until the token expires. */
  expiresIn: z.number().int(),
});
export type AccessTokenResponse = z.output<typeof accessTokenResponse>;
