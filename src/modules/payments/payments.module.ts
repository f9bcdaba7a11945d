import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { MessagesModule } from 'src/modules/messages/messages.module';
import { UsersModule } from 'src/modules/users/users.module';
import { PaymentEvent } from './payment-event.entity';
import { PaymentsService } from './payments.service';

/** Deposits: orders for priced clinics, provider confirmations, refunds through the job queue. */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentEvent, Diagnosis]), UsersModule, MessagesModule],
  providers: [PaymentsService],
  exports: [PaymentsService],
})
export class PaymentsModule {}
