import { AUTHZ_TABLE } from '../support/authz/authz-table';
import { callerOf, Column, COLUMNS, mismatch, NA, Outcome, send, tokenFor } from '../support/authz/cells';
import { inBatches } from '../support/authz/batches';
import { buildWorld, World } from '../support/authz/world';
import { appRoutes } from '../support/routes';

interface Cell {
  route: string;
  column: Column;
  expected: Outcome;
  /** What was wrong with the answer; undefined once it matched. */
  problem?: string;
}

/**
 * Every route the router serves × every kind of caller, each cell asserted with a real request against one app
 * and one set of data (see AUTHZ_TABLE for the expected answers and test/support/authz/world.ts for the data).
 */
describe('authorization matrix', () => {
  let w: World;
  let served: string[];
  const cells: Cell[] = Object.entries(AUTHZ_TABLE).flatMap(([route, spec]) =>
    COLUMNS.flatMap((column) => {
      const expected = spec.cells[column];
      return expected === NA ? [] : [{ route, column, expected, problem: 'not run' }];
    }),
  );

  const run = async (cell: Cell) => {
    const spec = AUTHZ_TABLE[cell.route];
    try {
      const token = await tokenFor(w, spec, cell.column);
      const res = await send(w, cell.route, spec.request(w, callerOf(spec, cell.column)), token);
      const problem = mismatch(cell.expected, res, w);
      cell.problem = problem && `${problem}: ${JSON.stringify(res.body).slice(0, 300)}`;
    } catch (e) {
      cell.problem = `request failed: ${String(e)}`;
    }
  };

  beforeAll(async () => {
    w = await buildWorld();
    served = appRoutes(w.t);
    // Owners last: their requests change what they name (cancel, reject, pay…); nobody else's request should.
    await inBatches(
      cells.filter((c) => c.column !== 'owner'),
      8,
      run,
    );
    await inBatches(
      cells.filter((c) => c.column === 'owner'),
      8,
      run,
    );
  }, 120_000);

  afterAll(async () => {
    const failed = cells.filter((c) => c.problem).length;
    const notApplicable = Object.keys(AUTHZ_TABLE).length * COLUMNS.length - cells.length;
    console.log(
      `authorization matrix: ${Object.keys(AUTHZ_TABLE).length} routes, ${cells.length} cells checked, ` +
        `${cells.length - failed} passed, ${failed} failed (${notApplicable} owner/stranger cells do not apply)`,
    );
    await w?.close();
  });

  it('has an entry for every route the router serves', () => {
    expect(served.filter((route) => !(route in AUTHZ_TABLE))).toEqual([]);
  });

  it('has no entry for a route the router does not serve', () => {
    expect(Object.keys(AUTHZ_TABLE).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('declares owner and stranger cells exactly on routes that name an owner', () => {
    const wrong = Object.entries(AUTHZ_TABLE)
      .filter(([, spec]) => (spec.cells.owner !== NA) !== (spec.owner !== undefined))
      .map(([route]) => route);
    expect(wrong).toEqual([]);
  });

  it.each(Object.keys(AUTHZ_TABLE))('%s answers every caller as declared', (route) => {
    const wrong = cells.filter((c) => c.route === route && c.problem).map((c) => `${c.column}: ${c.problem}`);
    expect(wrong).toEqual([]);
  });
});
