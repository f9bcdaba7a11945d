import type { Org } from './org.entity';

/** 2.2.11 组织信息 */
export const toOrgView = (o: Org) => ({ id: o.id, name: o.name, logo: o.logo, abstract: o.abstract });

export type OrgView = ReturnType<typeof toOrgView>;
