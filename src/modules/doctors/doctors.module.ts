import { Module } from '@nestjs/common';
import { UsersModule } from 'src/modules/users/users.module';

/** The doctor directory (3.3.9 `/doctor/list`): verified doctors, searchable and sortable. */
@Module({
  imports: [UsersModule],
})
export class DoctorsModule {}
