import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from 'src/modules/users/users.module';
import { AdminUsersService } from './admin-users.service';
import { AdminController } from './admin.controller';
import { Operator } from './operator.entity';
import { OperatorsService } from './operators.service';

@Module({
  imports: [TypeOrmModule.forFeature([Operator]), UsersModule],
  controllers: [AdminController],
  providers: [OperatorsService, AdminUsersService],
})
export class AdminModule {}
