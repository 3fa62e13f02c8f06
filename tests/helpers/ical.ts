import ICAL from 'ical.js';
import type { Occurrence } from '../../src/modules/events/domain/recurrence';

const HOUR = 3_600_000;

/** Parses .ics text with ical.js and expands every UID, honouring EXDATE and RECURRENCE-ID overrides. */
export function expandWithIcalJs(text: string, window: { from: Date; to: Date }): Map<string, (Occurrence & { summary: string })[]> {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  const byUid = new Map<string, ICAL.Component[]>();
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const uid = String(vevent.getFirstPropertyValue('uid'));
    byUid.set(uid, [...(byUid.get(uid) ?? []), vevent]);
  }
  const result = new Map<string, (Occurrence & { summary: string })[]>();
  for (const [uid, comps] of byUid) {
    const master = comps.find((c) => !c.hasProperty('recurrence-id'))!;
    const event = new ICAL.Event(master, { exceptions: comps.filter((c) => c !== master) });
    const out: (Occurrence & { summary: string })[] = [];
    if (!event.isRecurring()) {
      out.push({ originalStart: event.startDate.toJSDate(), start: event.startDate.toJSDate(), end: event.endDate.toJSDate(), summary: event.summary });
    } else {
      const it = event.iterator();
      const stop = window.to.getTime() + 2 * 24 * HOUR;
      for (let next = it.next(); next && next.toJSDate().getTime() < stop; next = it.next()) {
        const details = event.getOccurrenceDetails(next);
        out.push({ originalStart: details.recurrenceId.toJSDate(), start: details.startDate.toJSDate(), end: details.endDate.toJSDate(), summary: details.item.summary });
      }
    }
    result.set(
      uid,
      out.filter((o) => o.start < window.to && o.end > window.from).sort((a, b) => a.start.getTime() - b.start.getTime()),
    );
  }
  return result;
}

