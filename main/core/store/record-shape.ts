// A fast first look at a parsed journal line, for the records a journal is mostly made of (tasks,
// feed runtime, seen ids). Replaying 10,000 tasks through zod took most of a start-up; this check
// is a plain walk over the value. It only ever says "exactly what RecordSchema would return":
// it accepts a value only when every key is known, in the schema's order, with a value of the
// schema's type, so zod's result would be the same object, key for key. Anything else — another
// record type, a key zod would strip, a field out of range, a record from a newer build — gets
// null, and the caller asks zod, which decides as before. So a damaged or hand-edited record is
// caught exactly as when every line went through zod; this only makes the common case cheap.
import type { ZodEnum, ZodObject } from 'zod';
import { FeedRuntimeSchema, SeenRecordSchema, TaskSchema, type JournalRecord } from './records';

type Check = (value: unknown) => boolean;

/** One key of an object: its check, and whether it may be absent (zod's `.optional()`). */
export interface Field { key: string; check: Check; optional?: boolean }

const isString: Check = (v) => typeof v === 'string';
const nonEmptyString: Check = (v) => typeof v === 'string' && v.length > 0;
const stringOrNull: Check = (v) => v === null || typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';
// zod 4's .int() means a safe integer; a JSON number can also be 1e400, which parses as Infinity.
const isInt: Check = (v) => Number.isSafeInteger(v);
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const intOrNull: Check = (v) => v === null || Number.isSafeInteger(v);
const nullable = (check: Check): Check => (v) => v === null || check(v);
const arrayOf = (check: Check): Check => (v) => Array.isArray(v) && v.every(check);
const oneOf = (values: readonly string[]): Check => {
  const allowed = new Set(values);
  return (v) => typeof v === 'string' && allowed.has(v);
};
const enumOf = (schema: ZodEnum): Check => oneOf(schema.options.map(String));

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

// The enums come from the schemas themselves, so a kind or status added there is known here too.
const errorKinds = TaskSchema.shape.error.unwrap().shape.kind;
const taskError = objectOf([
  { key: 'kind', check: enumOf(errorKinds) },
  { key: 'message', check: isString },
  { key: 'httpStatus', check: isInt, optional: true },
]);

/** TaskSchema, field by field (record-shape.test.ts checks the keys against the schema's). */
export const TASK_FIELDS: readonly Field[] = [
  { key: 'id', check: nonEmptyString },
  { key: 'feedId', check: isString },
  { key: 'itemId', check: isString },
  { key: 'itemTitle', check: isString },
  { key: 'itemLink', check: stringOrNull },
  { key: 'text', check: isString },
  { key: 'imageUrl', check: stringOrNull },
  { key: 'status', check: enumOf(TaskSchema.shape.status) },
  { key: 'attempts', check: isCount },
  { key: 'nextAttemptAt', check: stringOrNull },
  { key: 'error', check: nullable(taskError) },
  { key: 'postId', check: stringOrNull },
  { key: 'postUrl', check: stringOrNull },
  { key: 'dryRun', check: isBoolean },
  { key: 'note', check: stringOrNull },
  { key: 'createdAt', check: isString },
  { key: 'updatedAt', check: isString },
  { key: 'edit', check: nullable(objectOf([{ key: 'at', check: isString }, { key: 'composedText', check: isString }])), optional: true },
  { key: 'inDoubtSince', check: stringOrNull, optional: true },
  { key: 'finishedAt', check: stringOrNull, optional: true },
  { key: 'attemptLog', check: arrayOf(objectOf([
    { key: 'at', check: isString },
    { key: 'endedAt', check: isString },
    { key: 'outcome', check: oneOf(['posted', 'failed']) },
    { key: 'dryRun', check: isBoolean },
    { key: 'error', check: nullable(taskError), optional: true },
  ])), optional: true },
  { key: 'postNowAt', check: stringOrNull, optional: true },
];

/** FeedRuntimeSchema, field by field. */
export const RUNTIME_FIELDS: readonly Field[] = [
  { key: 'title', check: stringOrNull },
  { key: 'validators', check: objectOf([{ key: 'etag', check: stringOrNull }, { key: 'lastModified', check: stringOrNull }]) },
  { key: 'health', check: objectOf([
    { key: 'lastFetchedAt', check: stringOrNull },
    { key: 'lastStatus', check: intOrNull },
    { key: 'lastError', check: stringOrNull },
    { key: 'consecutiveFailures', check: isCount },
    { key: 'nextPollAt', check: stringOrNull },
  ]) },
  { key: 'recentSkips', check: arrayOf(objectOf([{ key: 'itemTitle', check: isString }, { key: 'reason', check: isString }, { key: 'at', check: isString }])) },
];

/** SeenRecordSchema, field by field. */
export const SEEN_FIELDS: readonly Field[] = [
  { key: 'ids', check: arrayOf(isString) },
  { key: 'links', check: arrayOf(isString) },
  { key: 'address', check: isString, optional: true },
];

/**
 * Used only while each table still lists exactly its schema's keys: a field added to a schema
 * and not here turns the fast path off for that record type (zod reads it), never wrong.
 */
function inStep(fields: readonly Field[], schema: ZodObject): boolean {
  const keys = Object.keys(schema.shape);
  return keys.length === fields.length && fields.every((f, i) => f.key === keys[i]);
}

const RECORDS: Record<string, Check | undefined> = {
  task: inStep(TASK_FIELDS, TaskSchema) ? objectOf([{ key: 't', check: isString }, { key: 'v', check: objectOf(TASK_FIELDS) }]) : undefined,
  runtime: inStep(RUNTIME_FIELDS, FeedRuntimeSchema)
    ? objectOf([{ key: 't', check: isString }, { key: 'id', check: isString }, { key: 'v', check: objectOf(RUNTIME_FIELDS) }]) : undefined,
  seen: inStep(SEEN_FIELDS, SeenRecordSchema)
    ? objectOf([{ key: 't', check: isString }, { key: 'id', check: isString }, { key: 'v', check: objectOf(SEEN_FIELDS) }]) : undefined,
};

/**
 * The value as a record when it is certainly one RecordSchema would return unchanged; null when
 * zod must decide (which includes every damaged record).
 */
export function knownRecord(value: unknown): JournalRecord | null {
  if (!isPlainObject(value) || typeof value.t !== 'string') return null;
  const check = Object.hasOwn(RECORDS, value.t) ? RECORDS[value.t] : undefined;
  // Checked just above, key by key, against the schema's own types.
  return check?.(value) ? (value as JournalRecord) : null;
}
