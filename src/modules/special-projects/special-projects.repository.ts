import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Project, ProjectState } from 'src/modules/projects/project.entity';
import { ClinicFacts } from './special-project.view';

/** The SQL over `sp_project_item`, the link between special projects and the clinics they group. */
@Injectable()
export class SpecialProjectsRepository {
  /**
   * For each special project, what its attached clinics add up to, in one statement whatever the number of
   * special projects. "Bookable" is a clinic's own `progress_status` 1: published, not over, a seat left.
   */
  async clinicFacts(m: EntityManager, spIds: number[], now: Date): Promise<Map<number, ClinicFacts>> {
    if (!spIds.length) return new Map();
    const rows = await m.query<(ClinicFacts & { spId: number })[]>(
      `SELECT i.sp_project_id AS "spId",
              COALESCE(sum(p.join_people_count), 0)::int AS "joinPeopleCount",
              bool_or(p.status = $3 AND p.ends_at > $2
                      AND EXISTS (SELECT 1 FROM project_slot s WHERE s.project_id = p.id AND s.remaining > 0)) AS "bookable",
              bool_or(p.status = $3 AND p.ends_at > $2) AS "open",
              array_agg(p.id ORDER BY p.starts_at, p.id) AS "projectIds"
       FROM sp_project_item i JOIN project p ON p.id = i.project_id
       WHERE i.sp_project_id = ANY($1)
       GROUP BY i.sp_project_id`,
      [spIds, now, ProjectState.Published],
    );
    return new Map(rows.map(({ spId, ...facts }) => [spId, facts]));
  }

  /** One page of a special project's clinics in programme order (soonest first), with the total. */
  clinicPage(m: EntityManager, spId: number, offset: number, limit: number): Promise<[Project[], number]> {
    return m
      .createQueryBuilder(Project, 'p')
      .innerJoin('sp_project_item', 'i', 'i.project_id = p.id AND i.sp_project_id = :spId', { spId })
      .orderBy('p.starts_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .offset(offset)
      .limit(limit)
      .getManyAndCount();
  }

  /** Links a clinic; false when it already was (attaching twice changes nothing). */
  async attach(m: EntityManager, spId: number, projectId: number): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO sp_project_item (sp_project_id, project_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING project_id`,
      [spId, projectId],
    );
    return rows.length > 0;
  }

  /** Unlinks a clinic; false when it was not linked. */
  async detach(m: EntityManager, spId: number, projectId: number): Promise<boolean> {
    const [, affected] = await m.query<[unknown[], number]>(
      'DELETE FROM sp_project_item WHERE sp_project_id = $1 AND project_id = $2',
      [spId, projectId],
    );
    return affected > 0;
  }
}
