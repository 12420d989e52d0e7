import { z } from 'zod';
import { displayNameField, emailField, passwordField } from '../user-fields';

export const registerBody = z.strictObject({
  email: emailField,
  password: passwordField,
  displayName: displayNameField,
});
export type RegisterBody = z.output<typeof registerBody>;

export const registeredResponse = z.object({ id: z.uuid(), email: z.string(), displayName: z.string() });
export type RegisteredResponse = z.output<typeof registeredResponse>;
