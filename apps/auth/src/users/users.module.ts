import { Module } from '@nestjs/common';
import { DeleteMeController } from './delete-me/delete-me.controller';
import { DeleteMeService } from './delete-me/delete-me.service';
import { GetMeController } from './get-me/get-me.controller';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { PasswordHasher } from './password-hasher';
import { RegisterController } from './register/register.controller';
import { RegisterService } from './register/register.service';
import { UpdateMeController } from './update-me/update-me.controller';
import { UpdateMeService } from './update-me/update-me.service';

@Module({
  controllers: [RegisterController, LoginController, GetMeController, UpdateMeController, DeleteMeController],
  providers: [PasswordHasher, RegisterService, LoginService, UpdateMeService, DeleteMeService],
})
export class UsersModule {}
