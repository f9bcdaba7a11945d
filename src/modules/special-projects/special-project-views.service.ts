import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { toHospitalView } from 'src/modules/hospitals/hospital.view';
import { Org } from 'src/modules/orgs/org.entity';
import { toOrgView } from 'src/modules/orgs/org.view';
import type { SpecialProject } from './special-project.entity';
import {
  AdminSpecialProjectView,
  NO_CLINICS,
  SpecialProjectView,
  toAdminSpecialProjectView,
  toSpecialProjectView,
} from './special-project.view';
import { SpecialProjectsRepository } from './special-projects.repository';

/** Builds special-project objects for any number of them with three queries (clinic figures, hospitals, orgs). */
@Injectable()
export class SpecialProjectViewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SpecialProjectsRepository,
  ) {}

  async views(sps: SpecialProject[]): Promise<SpecialProjectView[]> {
    return (await this.build(sps)).map((b) => b.view);
  }

  async adminViews(sps: SpecialProject[]): Promise<AdminSpecialProjectView[]> {
    return (await this.build(sps)).map((b) => toAdminSpecialProjectView(b.view, b.sp, b.facts));
  }

  private async build(sps: SpecialProject[]) {
    if (!sps.length) return [];
    const m = this.db.manager;
    const now = new Date();
    // 0 stands in for "none" (never an id), so the IN list is never empty.
    const idsOf = (key: 'hospitalId' | 'orgId') => In([...new Set(sps.map((s) => s[key] ?? 0))]);
    const [facts, hospitals, orgs] = await Promise.all([
      this.repo.clinicFacts(
        m,
        sps.map((s) => s.id),
        now,
      ),
      m.find(Hospital, { where: { id: idsOf('hospitalId') } }),
      m.find(Org, { where: { id: idsOf('orgId') } }),
    ]);
    const hospitalOf = new Map(hospitals.map((h) => [h.id, toHospitalView(h)]));
    const orgOf = new Map(orgs.map((o) => [o.id, toOrgView(o)]));
    return sps.map((sp) => {
      const f = facts.get(sp.id) ?? NO_CLINICS;
      const view = toSpecialProjectView(
        sp,
        f,
        hospitalOf.get(sp.hospitalId ?? 0) ?? null,
        orgOf.get(sp.orgId ?? 0) ?? null,
        now.getTime(),
      );
      return { sp, facts: f, view };
    });
  }
}
