import { sql } from "drizzle-orm";
import type { Db } from "@lutetia/db";

/** A value of one cell; Dates are sent as ISO-8601 instants. */
export type Cell = string | number | boolean | Date | null;

/** Column name and the SQL type its array is cast to (`uuid`, `float8`, an enum type ...). */
export type ColumnSpec = readonly (readonly [name: string, sqlType: string])[];

/** Quotes one value for a PostgreSQL array literal (`{"a","b",NULL}`). */
function arrayItem(v: Cell): string {
  if (v === null) return "NULL";
  const s = v instanceof Date ? v.toISOString() : String(v);
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function arrayLiteral(values: readonly Cell[]): string {
  return `{${values.map(arrayItem).join(",")}}`;
}

/**
 * Column-wise row buffer written with one `INSERT … SELECT * FROM unnest($1, $2, …)` per batch:
 * one bind parameter per column whatever the row count, so a statement carries thousands of
 * rows on PGlite and node-postgres alike. Arrays travel as text literals cast server-side
 * (PGlite cannot serialise arrays of enum types).
 */
export class BulkInsert {
  private readonly columns: Cell[][];
  private rowCount = 0;
  /** Rows written so far. */
  written = 0;
  /** Statements sent so far. */
  statements = 0;

  constructor(
    private readonly db: Db,
    readonly table: string,
    private readonly spec: ColumnSpec,
    private readonly batchRows = 5000,
  ) {
    this.columns = spec.map(() => []);
  }

  /** Buffers one row (cells in the order of the spec). Nothing is sent until `flush`. */
  push(row: readonly Cell[]): void {
    if (row.length !== this.spec.length) {
      throw new RangeError(`${this.table}: row has ${row.length} cells, spec has ${this.spec.length} columns`);
    }
    row.forEach((v, i) => this.columns[i]!.push(v));
    this.rowCount++;
  }

  /** Writes the buffered rows, `batchRows` per statement (callers flush parents before children). */
  async flush(): Promise<void> {
    const names = sql.raw(this.spec.map(([n]) => `"${n}"`).join(", "));
    for (let from = 0; from < this.rowCount; from += this.batchRows) {
      const to = Math.min(this.rowCount, from + this.batchRows);
      const unnest = sql.join(
        this.spec.map(([, type], i) => sql`${arrayLiteral(this.columns[i]!.slice(from, to))}::text::${sql.raw(type)}[]`),
        sql`, `,
      );
      await this.db.execute(sql`insert into ${sql.identifier(this.table)} (${names}) select * from unnest(${unnest})`);
      this.statements++;
    }
    this.written += this.rowCount;
    this.rowCount = 0;
    for (const c of this.columns) c.length = 0;
  }
}
