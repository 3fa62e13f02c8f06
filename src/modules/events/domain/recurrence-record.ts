import { normalizeRecurrence, type Recurrence } from './rrule';

/**
 * A series' rule as stored (jsonb `events.recurrence`): the fields of the structured rule (rrule.ts),
 * `until` as an ISO 8601 UTC instant. Rows written before the whole RRULE was offered have only
 * frequency, interval, count and until, which is still a complete rule.
 */
export type RecurrenceRecord = Omit<Recurrence, 'until'> & { until?: string };

/** The stored recurrence as the recurrence functions take it. */
export function toRecurrence(r: RecurrenceRecord): Recurrence {
  const { until, ...rest } = r;
  const rule = Object.fromEntries(Object.entries(rest).filter(([, v]) => v != null)) as Omit<Recurrence, 'until'>;
  return until != null ? { ...rule, until: new Date(until) } : rule;
}

/** A recurrence as stored (normalised: lists as sorted sets). */
export function fromRecurrence(r: Recurrence): RecurrenceRecord {
  const { until, ...rule } = normalizeRecurrence(r);
  return { ...rule, ...(until && { until: until.toISOString() }) };
}
