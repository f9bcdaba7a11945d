import { Module } from '@nestjs/common';
import { UsersModule } from 'src/modules/users/users.module';
import { DoctorsController } from './doctors.controller';
import { DoctorsService } from './doctors.service';

/** The doctor directory (3.3.9 `/doctor/list`): verified doctors, searchable and sortable. */
@Module({
  imports: [UsersModule],
  controllers: [DoctorsController],
  providers: [DoctorsService],
  // Follow lists page through the same listed doctors.
  exports: [DoctorsService],
})
export class DoctorsModule {}
