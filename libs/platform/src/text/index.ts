/** text: the zod rules every text field goes through: well-formed Unicode in NFC, and names without invisible characters. */
export * from './safe-text';
