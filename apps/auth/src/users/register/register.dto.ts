import { z } from 'zod';
import { displayNameField, emailField, passwordField } from '../user-fields';

export const registerBody = z
  .strictObject({ email: emailField, password: passwordField, displayName: displayNameField })
  .meta({
    example: { email: 'ada@example.com', password: 'correct horse battery staple', displayName: 'Ada Lovelace' },
  });
export type RegisterBody = z.output<typeof registerBody>;

export const registeredResponse = z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }).meta({
  example: { id: '019ac1a8-5c3e-7b51-9a8e-2f4d6c1e0b7a', email: 'ada@example.com', displayName: 'Ada Lovelace' },
});
export type RegisteredResponse = z.output<typeof registeredResponse>;
