import { z } from 'zod';
import { displayNameField, emailField, passwordField, passwordToCheck } from '../user-fields';

export const updateMeBody = z
  .strictObject({
    displayName: displayNameField.optional(),
    email: emailField.optional(),
    password: passwordField.optional(),
    /**
     * Required with `password` or `email`: a stolen token alone must not be enough to take the
     * account over, and the email is what a password reset would be sent to.
     */
    currentPassword: passwordToCheck.optional(),
  })
  .refine((body) => (body.password === undefined && body.email === undefined) || body.currentPassword !== undefined, {
    path: ['currentPassword'],
    message: 'is required to change the email or the password',
  })
  .meta({ example: { email: 'ada.lovelace@example.com', currentPassword: 'correct horse battery staple' } });
export type UpdateMeBody = z.output<typeof updateMeBody>;
