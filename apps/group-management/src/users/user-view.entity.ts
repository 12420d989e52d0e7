import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * group-management's own copy of the users it needs, kept by auth's events. A deleted user stays
 * as a tombstone row (deleted_at set, name cleared) so that a late event cannot bring it back.
 */
@Entity('users')
export class UserView {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  /** auth's version of the user; events older than this are ignored. */
  @Column('integer')
  version!: number;

  /**
   * auth's version of the user at their last change of email or password: a token issued at an older
   * version (`uv`) is refused, from the moment the event that carries it is applied.
   */
  @Column('integer', { name: 'credentials_version' })
  credentialsVersion!: number;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
