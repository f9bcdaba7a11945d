import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from 'src/common/database/columns';

/**
 * Which 联空医问 doctor and service one of our doctors is: `lc.ask.update.scheduling` needs the partner's
 * `doctor_id` and `service_id`, which we cannot derive. Set by operators; doctors without a link are not synced.
 */
@Entity('consult_doctor_link')
export class ConsultDoctorLink {
  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 64 })
  lcDoctorId: string;

  @Column({ type: 'varchar', length: 64 })
  lcServiceId: string;

  @UpdatedAt()
  updatedAt: Date;
}
