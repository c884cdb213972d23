import type postgres from 'postgres';

/** The baseline worker's own task queue, so it never takes a ticket workflow's task or the ticket worker one of its. */
export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_TABLE = 'bench_baseline_rows';

/**
 * The baseline's one table, created by the benchmark in its own database and nowhere else: it is not part
 * of the product's schema, so it has no migration. `inserted_at` is read off the server's clock at the
 * insert, which is where the row's latency ends.
 */
export const BASELINE_TABLE_DDL = `create table if not exists ${BASELINE_TABLE} (
  id text primary key,
  inserted_at timestamptz not null default clock_timestamp()
)`;

export function baselineActivities(sql: postgres.Sql) {
  return {
    /** One row, one statement, autocommitted: the least durable work a workflow can do. A retry finds its row. */
    async insertBaselineRow(id: string): Promise<void> {
      await sql`insert into bench_baseline_rows (id) values (${id}) on conflict (id) do nothing`;
    },
  };
}

export type BaselineActivities = ReturnType<typeof baselineActivities>;
