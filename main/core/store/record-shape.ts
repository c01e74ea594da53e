// A fast first look at a parsed journal line, for the records a journal is mostly made of (tasks,
// feed runtime, seen ids, skipped-log entries). Replaying 10,000 tasks through zod took most of a start-up; this check
// is a plain walk over the value. It only ever says "exactly what RecordSchema would return":
// it accepts a value only when every key is known, in the schema's order, with a value of the
// schema's type, so zod's result would be the same object, key for key. Anything else — another
// record type, a key zod would strip, a field out of range, a record from a newer build — gets
// null, and the caller asks zod, which decides as before. So a damaged or hand-edited record is
// caught exactly as when every line went through zod; this only makes the common case cheap.
import { FeedRuntimeSchema, SeenRecordSchema, SkippedItemSchema, TaskSchema, type JournalRecord } from './records';

type Check = (value: unknown) => boolean;

/** One key of an object: its check, and whether it may be absent (zod's `.optional()`). */
export interface Field { key: string; check: Check; optional?: boolean }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** An object whose keys are exactly `fields` (optional ones may be missing), in that order. */
export function objectOf(fields: readonly Field[]): Check {
  return (v) => {
    if (!isPlainObject(v)) return false;
    let at = 0;
    // for...in walks own keys in the order Object.keys gives, without building an array per record
    // (and would meet an enumerable key on Object.prototype too, which no record may have).
    for (const key in v) {
      let field = fields[at];
      while (field !== undefined && field.key !== key && field.optional === true) field = fields[++at];
      if (field === undefined || field.key !== key || !field.check(v[key])) return false;
      at += 1;
    }
    for (; at < fields.length; at += 1) if (fields[at]?.optional !== true) return false;
    return true;
  };
}

/**
 * SeenRecordSchema's keys, for the store's copy of a seen record as a poll writes it (index.ts):
 * that copy names these keys, so a record with any other goes to zod there.
 */
const isStringList: Check = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');
export const SEEN_FIELDS: readonly Field[] = [
  { key: 'ids', check: isStringList },
  { key: 'links', check: isStringList },
  { key: 'address', check: (v) => typeof v === 'string', optional: true },
  // Kept only by a feed whose dedupe rule or repost setting uses them (issue 17).
  { key: 'titles', check: isStringList, optional: true },
  { key: 'days', check: isStringList, optional: true },
];

/** What zod 4 keeps of a schema and of each of its checks (`_zod.def`), as far as this reads it. */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  innerType?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
}
interface CheckDef { check: string; format?: string; minimum?: number; maximum?: number; value?: unknown; inclusive?: boolean }
interface Schema { _zod: { def: Def } }

/**
 * A plain check that accepts a JSON value only where `schema` would accept it and return it
 * unchanged (the same keys in the same order, nothing trimmed or defaulted); null for a schema
 * this does not read (a transform, a regex, a record, …), which leaves its records to zod. Derived
 * from the schema itself, so a field added there (an optional one by a newer build, say) is
 * checked here too and replay keeps its fast path.
 */
export function checkOf(schema: Schema): Check | null {
  const def = schema._zod.def;
  const limits = limitsOf(def);
  if (limits === null) return null;
  switch (def.type) {
    case 'string': return (v) => typeof v === 'string' && limits(v.length);
    case 'number': {
      const int = (def.checks ?? []).some((c) => c._zod.def.check === 'number_format');
      // zod 4's .int() means a safe integer; a JSON number can also be 1e400, which parses as Infinity.
      return int ? (v) => Number.isSafeInteger(v) && limits(v as number) : (v) => Number.isFinite(v) && limits(v as number);
    }
    case 'boolean': return limits === always ? (v) => typeof v === 'boolean' : null;
    case 'null': return (v) => v === null;
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => (typeof v === 'string' || typeof v === 'number') && allowed.has(v);
    }
    case 'nullable': {
      const inner = def.innerType ? checkOf(def.innerType) : null;
      return inner && ((v) => v === null || inner(v));
    }
    case 'array': {
      const element = def.element ? checkOf(def.element) : null;
      return element && ((v) => Array.isArray(v) && limits(v.length) && v.every(element));
    }
    case 'object': {
      // A strict object refuses an unknown key and a plain one drops it: either way not "unchanged".
      if (limits !== always || !def.shape || (def.catchall && def.catchall._zod.def.type !== 'never')) return null;
      const fields: Field[] = [];
      for (const [key, field] of Object.entries(def.shape)) {
        const optional = field._zod.def.type === 'optional';
        const inner = optional ? field._zod.def.innerType : field;
        const check = inner ? checkOf(inner) : null;
        if (check === null) return null;
        fields.push(optional ? { key, check, optional } : { key, check });
      }
      return objectOf(fields);
    }
    default: return null;
  }
}

const always = (): boolean => true;

/**
 * The length or value bounds among a schema's checks, as one test; `always` when it has none;
 * null when it has a check this does not read. A string's minimum beyond 1 is left to zod, which
 * counts code points where `length` counts UTF-16 units (at most 1 is the same either way; a
 * maximum met in units is met in code points).
 */
function limitsOf(def: Def): ((n: number) => boolean) | null {
  const tests: Array<(n: number) => boolean> = [];
  for (const { _zod: { def: check } } of def.checks ?? []) {
    if (check.check === 'number_format' && check.format === 'safeint' && def.type === 'number') continue;
    if (check.check === 'min_length' && typeof check.minimum === 'number' && (def.type === 'array' || check.minimum <= 1)) {
      const min = check.minimum;
      tests.push((n) => n >= min);
    } else if (check.check === 'max_length' && typeof check.maximum === 'number') {
      const max = check.maximum;
      tests.push((n) => n <= max);
    } else if ((check.check === 'greater_than' || check.check === 'less_than') && typeof check.value === 'number' && def.type === 'number') {
      const bound = check.value;
      const inclusive = check.inclusive === true;
      tests.push(check.check === 'greater_than' ? (n) => n > bound || (inclusive && n === bound) : (n) => n < bound || (inclusive && n === bound));
    } else return null;
  }
  if (tests.length === 0) return always;
  return (n) => tests.every((test) => test(n));
}

/** A record `{ t, [id], v }` whose `v` the schema checks; undefined when zod must read it. */
function recordOf(schema: Schema, withId: boolean): Check | undefined {
  const value = checkOf(schema);
  if (value === null) return undefined;
  const isString: Check = (v) => typeof v === 'string';
  return objectOf([{ key: 't', check: isString }, ...(withId ? [{ key: 'id', check: isString }] : []), { key: 'v', check: value }]);
}

/** The record types a journal is mostly made of; every other type is read by zod. */
export const FAST_RECORDS: Readonly<Record<string, Check | undefined>> = {
  task: recordOf(TaskSchema, false),
  runtime: recordOf(FeedRuntimeSchema, true),
  seen: recordOf(SeenRecordSchema, true),
  // Each skipped-log entry is its own record: a first check of 300 feeds writes thousands.
  skip: recordOf(SkippedItemSchema, false),
};

/**
 * The value as a record when it is certainly one RecordSchema would return unchanged; null when
 * zod must decide (which includes every damaged record).
 */
export function knownRecord(value: unknown): JournalRecord | null {
  if (!isPlainObject(value) || typeof value.t !== 'string') return null;
  const check = Object.hasOwn(FAST_RECORDS, value.t) ? FAST_RECORDS[value.t] : undefined;
  // Checked just above, key by key, against the schema's own types.
  return check?.(value) ? (value as JournalRecord) : null;
}

const skippedCheck = checkOf(SkippedItemSchema);

/**
 * Whether a skipped-log entry is certainly one SkippedItemSchema returns unchanged, so the store
 * can keep a copy without zod (a first check writes up to a feed's baseline share at once).
 * False means: ask zod.
 */
export function isPlainSkipped(value: unknown): boolean {
  return skippedCheck !== null && skippedCheck(value);
}
