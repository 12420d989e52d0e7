import { z } from 'zod';
import { emailField, passwordToCheck } from '../user-fields';

/** The password is not held to the registration rules here: a failed login only ever says 401. */
export const loginBody = z
  .strictObject({ email: emailField, password: passwordToCheck })
  .meta({ example: { email: 'ada@example.com', password: 'correct horse battery staple' } });
export type LoginBody = z.output<typeof loginBody>;

export const accessTokenResponse = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('Seconds until the token expires.'),
  })
  .meta({
    example: { accessToken: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.e30.c2ln', tokenType: 'Bearer', expiresIn: 900 },
  });
export type AccessTokenResponse = z.output<typeof accessTokenResponse>;
