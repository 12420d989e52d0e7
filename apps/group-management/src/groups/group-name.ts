import { nameText } from '@playball/platform/text';

/** 1–100 visible characters after trimming and NFC: the contract's limit for group names. */
export const groupNameInput = nameText(100);
