import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { GroupManagementError } from '../errors';

const uuid = z.uuid();

/** A path id that cannot be a uuid names nothing that exists: 404, not a database error. */
export class GroupIdPipe implements PipeTransform<string, string> {
  constructor(private readonly code: 'GROUP.NOT_FOUND' | 'MEMBER.NOT_FOUND' = 'GROUP.NOT_FOUND') {}

  transform(value: string): string {
    if (!uuid.safeParse(value).success) throw new GroupManagementError(this.code, 'No such resource.');
    return value.toLowerCase();
  }
}
