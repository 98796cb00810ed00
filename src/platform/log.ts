/**
 * What an error may say in a log. A failed query's message carries its parameters (Drizzle's
 * "Failed query: … params: …" holds a resident's words, names, phones, ciphertext and keyed
 * hashes) and PostgreSQL's `detail` repeats the values of a violated key, so an error is logged
 * as its kind, its codes and the statement's name only — never a message, parameter or body.
 * The logger's serializers apply this to every `err` it is given, whoever logs it.
 */

// A type, not an interface: pino's serializer type wants an index signature.
export type LoggedError = {
  type: string;
  /** Node's or Fastify's code (`ECONNREFUSED`, `FST_ERR_…`), or our AppError code. */
  code?: string;
  /** PostgreSQL's SQLSTATE, e.g. 23505. */
  sqlState?: string;
  /** The failed statement's verb and table, e.g. `insert cases`; never its text or parameters. */
  statement?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** Where it was thrown: the stack's frames, without the message line above them. */
  stack?: string;
};

const sqlStatePattern = /^[0-9A-Z]{5}$/;
const codePattern = /^[A-Za-z][A-Za-z0-9_]{1,63}$/;
const identifierPattern = /^[a-z_][a-z0-9_$]{0,62}$/;

/**
 * The statement's name: its verb and the table it works on, read from the SQL text (which holds
 * `$n` placeholders, not values). `with` queries are named by their first data-changing or
 * selecting verb after the CTEs' names.
 */
export function statementName(query: string): string | undefined {
  const text = query.replace(/\s+/g, " ").trim().toLowerCase();
  const verb = /^(with|select|insert|update|delete|lock|begin|commit|rollback|savepoint|set|notify|listen|create|alter|drop|truncate|copy)\b/.exec(text)?.[1];
  if (!verb) return undefined;
  const table = (re: RegExp) => {
    const m = re.exec(text)?.[1]?.replace(/"/g, "");
    return m && identifierPattern.test(m) ? m : undefined;
  };
  switch (verb) {
    case "insert":
      return named("insert", table(/^insert into ("?[\w$]+"?)/));
    case "update":
      return named("update", table(/^update ("?[\w$]+"?)/));
    case "delete":
      return named("delete", table(/^delete from ("?[\w$]+"?)/));
    case "select":
      return named("select", table(/\bfrom ("?[\w$]+"?)/));
    case "with": {
      const main = /\)\s*(insert into|update|delete from|select .*? from) ("?[\w$]+"?)/.exec(text);
      const v = main?.[1]?.split(" ")[0];
      const t = main?.[2]?.replace(/"/g, "");
      return v && t && identifierPattern.test(t) ? `with ${v} ${t}` : "with";
    }
    default:
      return verb;
  }
}

function named(verb: string, table: string | undefined): string {
  return table ? `${verb} ${table}` : verb;
}

function safeString(v: unknown, pattern: RegExp): string | undefined {
  return typeof v === "string" && pattern.test(v) ? v : undefined;
}

/** The stack's frames only: the first line repeats the message, which may hold data. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
  return frames.length > 0 ? frames.slice(0, 12).join("\n") : undefined;
}

/**
 * An error and the errors it wraps, outermost first: wrappers (Drizzle's DrizzleQueryError, our
 * own) keep the database's error in `cause`. At most five deep.
 */
export function causeChain(e: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  for (let c: unknown = e, depth = 0; c && typeof c === "object" && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    chain.push(c as Record<string, unknown>);
  }
  return chain;
}

/** Reduces any thrown value to what may be logged (see the file's comment). */
export function describeError(e: unknown): LoggedError {
  if (!e || typeof e !== "object") return { type: typeof e };
  const out: LoggedError = { type: "Error" };
  const chain = causeChain(e);
  const top = chain[0]!;
  const name = top.name ?? (top.constructor as { name?: unknown } | undefined)?.name;
  out.type = typeof name === "string" && codePattern.test(name) ? name : "Error";
  for (const c of chain) {
    const code = c.code;
    if (!out.sqlState && safeString(code, sqlStatePattern)) {
      out.sqlState = code as string;
    } else if (!out.code && safeString(code, codePattern)) {
      out.code = code as string;
    }
    out.constraint ??= safeString(c.constraint, identifierPattern);
    out.table ??= safeString(c.table, identifierPattern);
    out.column ??= safeString(c.column, identifierPattern);
    if (!out.statement && typeof c.query === "string") out.statement = statementName(c.query);
  }
  const stack = framesOf(top.stack);
  if (stack) out.stack = stack;
  return out;
}

/**
 * Pino serializers for the server's logger: every `err` (and `error`) is described, not dumped.
 * Its `message` is made from the description (kind, codes, statement), never the error's own.
 */
function serializeError(e: unknown): LoggedError & { message: string; stack: string } {
  const d = describeError(e);
  const message = [d.type, d.code, d.sqlState && `SQLSTATE ${d.sqlState}`, d.statement, d.constraint].filter(Boolean).join(", ");
  return { ...d, message, stack: d.stack ?? "" };
}

export const errorSerializers = { err: serializeError, error: serializeError };

/** One line for a person (the CLI's "unexpected error"): the same safe parts as the log. */
export function errorLine(e: unknown): string {
  return serializeError(e).message;
}
