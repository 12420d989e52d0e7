import { z } from 'zod';
import { currentPasswordField, displayNameField, emailField, passwordField } from '../user-fields';

export const updateMeBody = z
  .strictObject({
    displayName: displayNameField.optional(),
    email: emailField.optional(),
    password: passwordField.optional(),
    /**
     * Required with `password` or `email`: a stolen token alone must not be enough to take the
     * account over, and the email is what a password reset would be sent to.
     */
    currentPassword: currentPasswordField.optional(),
  })
  .refine((body) => (body.password === undefined && body.email === undefined) || body.currentPassword !== undefined, {
    path: ['currentPassword'],
    message: 'is required to change the email or the password',
  });
export type UpdateMeBody = z.output<typeof updateMeBody>;
