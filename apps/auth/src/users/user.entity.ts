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
   * The version of the user's public state: 1 at registration, +1 for each change other services
   * hear of (the display name). Published as the events' `sequence` and carried in tokens as `uv`.
   *
   * Not a @VersionColumn: that would also count email and password changes, which publish nothing,
   * so a token's `uv` would name a version group-management never receives and its read-your-writes
   * wait would run out on every request.
   */
  @Column('integer')
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
