import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CreatedAt } from 'src/common/database/columns';
import { User } from 'src/modules/users/user.entity';

/** An assistant (医助) bound to a patient they help: they may book for the patient and see their full profile. */
@Entity('assistant_patient')
@Index('ix_assistant_patient_patient', ['patientId'])
export class AssistantPatient {
  @PrimaryColumn({ type: 'integer' })
  assistantId: number;

  @PrimaryColumn({ type: 'integer' })
  patientId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assistant_id', foreignKeyConstraintName: 'fk_assistant_patient_assistant' })
  assistant?: User;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_assistant_patient_patient' })
  patient?: User;

  @CreatedAt()
  createdAt: Date;
}
