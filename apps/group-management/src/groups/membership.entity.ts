import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Group } from './group.entity';

export type Role = 'admin' | 'member';

@Entity('memberships')
@Index('memberships_user_idx', ['userId'])
export class Membership {
  @PrimaryColumn('uuid', { name: 'group_id', primaryKeyConstraintName: 'PK_memberships' })
  groupId!: string;

  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'PK_memberships' })
  userId!: string;

  @Column('text')
  role!: Role;

  /** Orders members for promotion: the oldest member becomes admin when the last admin goes. */
  @Column('timestamptz', { name: 'joined_at', default: () => 'clock_timestamp()' })
  joinedAt!: Date;

  // No cascade: the use cases remove a group's memberships as entities, so the outbox sees each.
  @ManyToOne(() => Group, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'FK_memberships_group' })
  group?: Group;
}
