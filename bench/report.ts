import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, ChartConfiguration, registerables } from 'chart.js';
import type { LoadResult } from './load';
import type { ProfileSummary } from './profile';
import type { SeatCheck } from './restore';
import type { Plan, ReplayResult } from './sql';
import type { Volume } from './generate';

export const TARGETS = {
  /** A read's req/s against the lower of its two ceilings. */
  readShareOfCeiling: 0.5,
  p99Ms: 50,
  /** Read latency at 100 % volume against 1 %. */
  growthRatio: 1.3,
  peakRssMb: 300,
};

export interface ScenarioResult {
  name: string;
  title: string;
  kind: 'read' | 'write';
  app: LoadResult;
  peakRssMb: number;
  db: ReplayResult | null;
  /** app req/s ÷ framework ceiling req/s. */
  vsFramework: number;
  /** app req/s ÷ database ceiling req/s. */
  vsDatabase: number | null;
  seats?: SeatCheck;
  /** The same scenario in the baseline report, when one was given. */
  before?: { rps: number; p50: number; p99: number };
}

export interface Report {
  stamp: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    /** 1-minute load average when the run started and when it ended: other work on the machine skews figures. */
    loadAverage: [number, number];
  };
  options: {
    scale: number;
    connections: number;
    durationS: number;
    warmupS: number;
    workers: number;
    growthScale: number | null;
  };
  database: { name: string; reused: boolean; generationSeconds: number | null; volume: Volume };
  framework: LoadResult & { peakRssMb: number };
  scenarios: ScenarioResult[];
  cluster: {
    workers: number;
    framework: LoadResult;
    scenarios: { name: string; rps: number; p50: number; p99: number; speedup: number }[];
    peakRssMb: number;
  } | null;
  growth: {
    smallScale: number;
    smallDatabase: string;
    rows: {
      name: string;
      p50Small: number;
      p50Full: number;
      p99Small: number;
      p99Full: number;
      ratio: number;
    }[];
  } | null;
  plans: Plan[];
  profile: { scenario: string; summary: ProfileSummary } | null;
  lifetimePeakRssMb: number;
  baseline: string | null;
  findings: string[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The targets the numbers miss, each one sentence with the figures. */
export function findings(r: Report): string[] {
  const out: string[] = [];
  for (const s of r.scenarios) {
    if (s.kind === 'read') {
      const ceiling = Math.min(r.framework.rps, s.db?.rps ?? Infinity);
      if (s.app.rps < TARGETS.readShareOfCeiling * ceiling) {
        out.push(
          `${s.name}: ${s.app.rps} req/s is ${Math.round((s.app.rps / ceiling) * 100)} % of its lower ceiling (${ceiling} req/s), under ${TARGETS.readShareOfCeiling * 100} %.`,
        );
      }
    }
    if (s.app.p99 > TARGETS.p99Ms)
      out.push(
        `${s.name}: p99 ${s.app.p99} ms at ${r.options.connections} connections, over ${TARGETS.p99Ms} ms.`,
      );
    if (s.app.s5xx > 0) out.push(`${s.name}: ${s.app.s5xx} responses with a 5xx status.`);
    if (s.seats && (s.seats.overbooked || s.seats.inconsistent || s.seats.doubleBooked)) {
      out.push(
        `${s.name}: ${s.seats.overbooked} overbooked slots, ${s.seats.inconsistent} slots whose remaining seats disagree with the bookings, ${s.seats.doubleBooked} double bookings.`,
      );
    }
    if (s.peakRssMb > TARGETS.peakRssMb)
      out.push(`${s.name}: peak RSS ${s.peakRssMb} MB, over ${TARGETS.peakRssMb} MB.`);
  }
  for (const g of r.growth?.rows ?? []) {
    if (g.ratio > TARGETS.growthRatio) {
      out.push(
        `${g.name}: p50 ${g.p50Full} ms at ${r.options.scale * 100} % volume against ${g.p50Small} ms at ${r.growth!.smallScale * 100} % (×${g.ratio}), over ×${TARGETS.growthRatio}.`,
      );
    }
  }
  for (const p of r.plans) {
    if (p.seqScans.length)
      out.push(`Sequential scan of ${p.seqScans.join(', ')} in a statement of ${p.scenarios.join(', ')}.`);
  }
  return out;
}

const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);

export function renderMarkdown(r: Report): string {
  const lines: string[] = [];
  lines.push(`# Benchmark ${r.stamp}`, '');
  lines.push(
    `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}. ` +
      `Database \`${r.database.name}\` (scale ${r.options.scale}: ${r.database.volume.patients.toLocaleString('en')} patients, ` +
      `${r.database.volume.clinics.toLocaleString('en')} clinics, ${r.database.volume.bookings.toLocaleString('en')} bookings, ` +
      `${r.database.volume.chatMessages.toLocaleString('en')} chat messages; ${r.database.reused ? 'reused' : `generated in ${r.database.generationSeconds} s`}). ` +
      `${r.options.connections} connections, ${r.options.durationS} s per window after ${r.options.warmupS} s of warm-up (reads). ` +
      `Load average ${r.machine.loadAverage[0]} at the start, ${r.machine.loadAverage[1]} at the end.`,
    '',
  );
  lines.push(
    `Framework ceiling (\`GET /health/live\`, no database): **${r.framework.rps} req/s**, p50 ${r.framework.p50} ms, p99 ${r.framework.p99} ms.`,
    '',
  );
  lines.push('## Scenarios', '');
  lines.push(
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        '2xx',
        '4xx',
        '5xx',
        'errors',
        'peak RSS MB',
        'DB ceiling req/s',
        'SQL/request',
        '÷ framework',
        '÷ DB ceiling',
      ],
      r.scenarios.map((s) => [
        `${s.name} — ${s.title}`,
        s.app.rps,
        s.app.p50,
        s.app.p99,
        s.app.s2xx,
        s.app.s4xx,
        s.app.s5xx,
        s.app.errors,
        s.peakRssMb,
        s.db?.rps ?? '—',
        s.db?.statementsPerRequest ?? '—',
        pct(s.vsFramework),
        pct(s.vsDatabase),
      ]),
    ),
    '',
  );
  if (r.baseline) {
    lines.push(`## Against the baseline (${r.baseline})`, '');
    lines.push(
      table(
        ['scenario', 'req/s before', 'req/s now', 'p99 before', 'p99 now'],
        r.scenarios
          .filter((s) => s.before)
          .map((s) => [s.name, s.before!.rps, s.app.rps, s.before!.p99, s.app.p99]),
      ),
      '',
    );
  }
  const seats = r.scenarios.filter((s) => s.seats);
  if (seats.length) {
    lines.push('## Bookings', '');
    lines.push(
      table(
        [
          'scenario',
          'bookings made',
          'slots touched',
          'overbooked',
          'seats ≠ bookings',
          'double bookings',
          'status codes',
        ],
        seats.map((s) => [
          s.name,
          s.seats!.bookingsMade,
          s.seats!.slots,
          s.seats!.overbooked,
          s.seats!.inconsistent,
          s.seats!.doubleBooked,
          Object.entries(s.app.statusCodes)
            .map(([c, n]) => `${c}: ${n}`)
            .join(', '),
        ]),
      ),
      '',
    );
  }
  if (r.cluster) {
    lines.push(`## ${r.cluster.workers} workers (WEB_CONCURRENCY=${r.cluster.workers})`, '');
    lines.push(
      `Framework ceiling: ${r.cluster.framework.rps} req/s (×${round2(r.cluster.framework.rps / r.framework.rps)}). Peak RSS of one process: ${r.cluster.peakRssMb} MB.`,
      '',
    );
    lines.push(
      table(
        ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'speed-up'],
        r.cluster.scenarios.map((s) => [s.name, s.rps, s.p50, s.p99, `×${s.speedup}`]),
      ),
      '',
    );
  }
  if (r.growth) {
    lines.push(`## Growth: ${r.options.scale * 100} % against ${r.growth.smallScale * 100} % volume`, '');
    lines.push(
      table(
        [
          'scenario',
          `p50 ms at ${r.growth.smallScale * 100} %`,
          `p50 ms at ${r.options.scale * 100} %`,
          'p99 small',
          'p99 full',
          'p50 ratio',
        ],
        r.growth.rows.map((g) => [g.name, g.p50Small, g.p50Full, g.p99Small, g.p99Full, `×${g.ratio}`]),
      ),
      '',
    );
  }
  lines.push(`## Targets`, '');
  lines.push(
    `Reads ≥ ${TARGETS.readShareOfCeiling * 100} % of min(framework, DB ceiling) req/s; p99 ≤ ${TARGETS.p99Ms} ms; reads at full volume ≤ ×${TARGETS.growthRatio} the latency at 1 %; peak RSS of one process ≤ ${TARGETS.peakRssMb} MB (lifetime peak this run: ${r.lifetimePeakRssMb} MB); zero overbookings and zero 5xx.`,
    '',
  );
  lines.push(...(r.findings.length ? r.findings.map((f) => `- ${f}`) : ['All targets met.']), '');
  if (r.profile) {
    lines.push(`## CPU profile of the app during ${r.profile.scenario}`, '');
    lines.push(
      table(
        ['package', 'self ms', 'share'],
        r.profile.summary.byPackage.map((p) => [p.name, p.ms, `${p.share} %`]),
      ),
      '',
      table(
        ['function', 'where', 'self ms', 'share'],
        r.profile.summary.topFunctions.map((f) => [f.name, `\`${f.where}\``, f.ms, `${f.share} %`]),
      ),
      '',
    );
  }
  lines.push('## Query plans of the read scenarios', '');
  for (const p of r.plans) {
    lines.push(
      `### ${p.scenarios.join(', ')} — ${p.executionMs} ms${p.seqScans.length ? ` — **sequential scan of ${p.seqScans.join(', ')}**` : ''}`,
      '',
      '```sql',
      p.sql.replace(/\s+/g, ' ').trim(),
      `-- params ${JSON.stringify(p.params)}`,
      '```',
      '',
      '```',
      p.plan,
      '```',
      '',
    );
  }
  return lines.join('\n');
}

Chart.register(...registerables);

function renderChart(config: ChartConfiguration, width: number, height: number) {
  const canvas = createCanvas(width, height);
  // chart.js draws on any object with the 2D context API; the napi canvas provides it. Without animation the
  // chart is drawn at once (destroying it would clear the canvas).
  new Chart(canvas, {
    ...config,
    options: { ...config.options, responsive: false, animation: false },
  });
  return canvas;
}

/** Two panels: req/s with both ceilings, and p99 against the target. */
export function renderPng(r: Report): Buffer {
  const labels = r.scenarios.map((s) => s.name);
  const width = 1400;
  const throughput = renderChart(
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'app req/s', data: r.scenarios.map((s) => s.app.rps), backgroundColor: '#2563eb' },
          {
            label: 'DB ceiling req/s',
            data: r.scenarios.map((s) => s.db?.rps ?? 0),
            backgroundColor: '#f59e0b',
          },
          {
            label: 'framework ceiling req/s',
            data: r.scenarios.map(() => r.framework.rps),
            backgroundColor: '#9ca3af',
          },
        ],
      },
      options: {
        plugins: {
          title: {
            display: true,
            text: `Throughput at ${r.options.connections} connections (${r.stamp}, scale ${r.options.scale})`,
          },
        },
        scales: { y: { type: 'logarithmic', title: { display: true, text: 'req/s (log)' } } },
      },
    },
    width,
    500,
  );
  const latency = renderChart(
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'p50 ms', data: r.scenarios.map((s) => s.app.p50), backgroundColor: '#10b981' },
          { label: 'p99 ms', data: r.scenarios.map((s) => s.app.p99), backgroundColor: '#ef4444' },
          {
            type: 'line',
            label: `p99 target ${TARGETS.p99Ms} ms`,
            data: r.scenarios.map(() => TARGETS.p99Ms),
            borderColor: '#111827',
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        plugins: { title: { display: true, text: 'Latency' } },
        scales: { y: { type: 'logarithmic', title: { display: true, text: 'ms (log)' } } },
      },
    },
    width,
    450,
  );
  const out = createCanvas(width, 950);
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, 950);
  ctx.drawImage(throughput, 0, 0);
  ctx.drawImage(latency, 0, 500);
  return out.toBuffer('image/png');
}

/** Writes `<stamp>.json/.md/.png` and copies them to `latest.*`. */
export function writeReport(dir: string, r: Report): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string | Buffer][] = [
    ['json', `${JSON.stringify(r, null, 2)}\n`],
    ['md', `${renderMarkdown(r)}\n`],
    ['png', renderPng(r)],
  ];
  const written: string[] = [];
  for (const [ext, content] of files) {
    const path = join(dir, `${r.stamp}.${ext}`);
    writeFileSync(path, content);
    copyFileSync(path, join(dir, `latest.${ext}`));
    written.push(path);
  }
  return written;
}
