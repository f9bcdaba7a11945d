import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

export const CreatedAt = () => CreateDateColumn({ type: 'timestamptz' });
export const UpdatedAt = () => UpdateDateColumn({ type: 'timestamptz' });
