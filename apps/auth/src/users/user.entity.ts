import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

// Emails are unique case-insensitively; the expression index lives in the migration.
@Index('users_email_lower_idx', { synchronize: false })
@Entity('users')
export class User {
  @PrimaryColumn('uuid')
  id!: string;

  /** Stored as given; uniqueness is case-insensitive through the `lower(email)` index. */
  @Column('text')
  email!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  /**
   * The version of the user's state other services hear of: 1 at registration, +1 for each change
   * that publishes an event (the display name, and a change of credentials, which voids tokens).
   * Published as the events' `sequence` and carried in tokens as `uv`.
   *
   * Not a @VersionColumn: that would count every save, and a token's `uv` would then name a version
   * group-management never receives, so its read-your-writes wait would run out on every request.
   */
  @Column('integer')
  version!: number;

  /**
   * The `version` at which the email or password last changed (1 until then). A token whose `uv` is
   * below it was issued before that change and is refused, here at once and in group-management once
   * the change's event is applied.
   */
  @Column('integer', { name: 'credentials_version' })
  credentialsVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
