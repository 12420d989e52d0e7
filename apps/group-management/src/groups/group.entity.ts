import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('groups')
export class Group {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /**
   * Bumped by every change of the group or its members, under the group's row lock; published as
   * the events' `sequence` and compared with `If-Match`. Set by the use cases (memberships.ts), not
   * a @VersionColumn, because a member change must bump it without touching any group column.
   */
  @Column('integer')
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
