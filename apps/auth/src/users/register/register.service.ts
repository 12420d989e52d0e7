import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { rethrowEmailTaken } from '../email-taken';
import { PasswordHasher } from '../password-hasher';
import { User } from '../user.entity';
import { RegisterBody } from './register.dto';

@Injectable()
export class RegisterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
  ) {}

  /** Creates the account; its `registered` event commits with it (user.outbox-mapper.ts). */
  async register(input: RegisterBody): Promise<User> {
    const user = Object.assign(new User(), {
      id: uuidv7(),
      email: input.email,
      displayName: input.displayName,
      passwordHash: await this.passwords.hash(input.password),
      version: 1,
      credentialsVersion: 1,
    });
    try {
      return await this.dataSource.transaction((manager) => manager.save(user));
    } catch (error) {
      rethrowEmailTaken(error);
    }
  }
}
