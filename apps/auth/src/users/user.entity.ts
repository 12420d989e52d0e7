import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

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

  /** Bumped by every save; published as the events' `sequence` and carried in tokens as `uv`. */
  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
