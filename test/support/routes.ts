import type { TestApp } from './test-app';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * Every controller route of the running app as `METHOD /path` (Express `:id` style). Swagger's own pages
 * (/docs…) and the `/{*path}` 404 catch-all are left out.
 */
export function appRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack
    .filter((l) => l.route && !l.route.path.startsWith('/docs') && !l.route.path.includes('*'))
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`));
}
