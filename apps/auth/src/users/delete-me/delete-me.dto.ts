import { z } from 'zod';
import { currentPasswordField } from '../user-fields';

/** A stolen token alone must not be enough to delete the account. */
export const deleteMeBody = z.strictObject({ currentPassword: currentPasswordField });
export type DeleteMeBody = z.output<typeof deleteMeBody>;
