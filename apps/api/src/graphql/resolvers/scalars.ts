import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A real calendar day (Date.parse would roll 2026-02-30 over to March; an invalid month is NaN). */
function isCalendarDay(ymd: string): boolean {
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(ymd);
}

function parseDateTime(v: unknown): Date {
  if (typeof v !== "string" || !DATETIME_RE.test(v) || Number.isNaN(Date.parse(v)) || !isCalendarDay(v.slice(0, 10))) {
    throw new GraphQLError(`DateTime must be ISO 8601 with a time zone offset, e.g. 2026-03-01T09:30:00Z (got ${JSON.stringify(v)})`);
  }
  return new Date(v);
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  serialize: (v) => {
    const d = v instanceof Date ? v : new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new GraphQLError("DateTime cannot represent an invalid date");
    return d.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(v: unknown): string {
  if (typeof v !== "string" || !DATE_RE.test(v) || !isCalendarDay(v)) {
    throw new GraphQLError(`Date must be a calendar date YYYY-MM-DD (got ${JSON.stringify(v)})`);
  }
  return v;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      throw new GraphQLError("JSON literal cannot contain variables");
  }
}

export const JSONScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: "JSON",
  serialize: (v) => v as Record<string, unknown>,
  parseValue: (v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new GraphQLError("JSON must be an object");
    return v as Record<string, unknown>;
  },
  parseLiteral: (ast) => literal(ast) as Record<string, unknown>,
});
