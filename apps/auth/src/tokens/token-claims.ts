/** What an access token says: who, and the version of their public state when it was issued. */
export interface TokenClaims {
  userId: string;
  userVersion: number;
}
