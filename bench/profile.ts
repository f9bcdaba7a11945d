import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (`node_modules/<name>`, the app's own code, Node internals, idle, GC). */
  byPackage: { name: string; ms: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { name: string; where: string; ms: number; share: number }[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)' ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/')) return 'app code';
  return url;
}

/**
 * Self time of a `node --cpu-prof` profile, by package and by function, over the window that ended `beforeEndMs`
 * before the profile did and lasted `windowMs` (the profile covers the whole process: start-up, then the load,
 * then shutdown).
 */
export function summarizeProfile(
  path: string,
  window: { beforeEndMs: number; windowMs: number },
  top = 15,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const to = profile.endTime - window.beforeEndMs * 1000;
  const from = to - window.windowMs * 1000;
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= from && at <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const where = url ? `${url.replace(/^.*?(node_modules\/|dist\/)/, '$1')}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const f = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    f.us += us;
    functions.set(key, f);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    totalMs: ms(total),
    byPackage: [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: ms(f.us), share: share(f.us) })),
  };
}
