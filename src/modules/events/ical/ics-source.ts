/**
 * Where things are in iCalendar source text, for errors that name a line: content lines are unfolded
 * (RFC 5545 §3.1: CRLF or LF followed by a space or tab continues the previous line) while keeping the
 * 1-based physical line each one starts on. Parsing itself is ical.js's; this only points at lines.
 */

/** The lines of one VEVENT: its BEGIN line and where each of its own properties is. */
export interface SourceMap {
  begin: number;
  /** Line of the first property `name` of the VEVENT itself (not of a nested VALARM); `begin` when absent. */
  property(name: string): number;
}

/** Line lookups over a source text. */
export interface SourceLines {
  /** The line an ical.js error message points at (it quotes the bad content line), else the last line. */
  lineOfError(message: string): number;
  /** The `index`-th VEVENT (0-based, document order). */
  vevent(index: number): SourceMap;
  /** The BEGIN line of the `index`-th component named `name`. */
  componentLine(name: string, index: number): number;
}

interface Logical {
  text: string;
  line: number;
}

/** Indexes `text` for line lookups. */
export function sourceLines(text: string): SourceLines {
  const logical: Logical[] = [];
  text.split(/\r?\n/).forEach((physical, i) => {
    if (/^[ \t]/.test(physical) && logical.length > 0) logical[logical.length - 1]!.text += physical.slice(1);
    else logical.push({ text: physical, line: i + 1 });
  });
  const vevents: { begin: number; props: Map<string, number> }[] = [];
  let depth = 0;
  let current: { begin: number; props: Map<string, number> } | null = null;
  for (const l of logical) {
    const upper = l.text.toUpperCase();
    if (upper.startsWith('BEGIN:')) {
      if (upper === 'BEGIN:VEVENT') {
        current = { begin: l.line, props: new Map() };
        vevents.push(current);
        depth = 0;
      } else if (current) depth++;
    } else if (upper.startsWith('END:')) {
      if (upper === 'END:VEVENT') current = null;
      else if (current) depth--;
    } else if (current && depth === 0) {
      const name = /^[A-Z0-9-]+/.exec(upper)?.[0];
      if (name && !current.props.has(name)) current.props.set(name, l.line);
    }
  }
  return {
    lineOfError(message) {
      const quoted = /"([^"]*)"\s*$/.exec(message)?.[1] ?? /'([^']*)'\s*$/.exec(message)?.[1];
      const hit = quoted !== undefined ? logical.find((l) => l.text === quoted || (quoted.length > 0 && l.text.includes(quoted))) : undefined;
      return hit?.line ?? logical.filter((l) => l.text.trim() !== '').at(-1)?.line ?? 1;
    },
    vevent(index) {
      const v = vevents[index] ?? { begin: 1, props: new Map<string, number>() };
      return { begin: v.begin, property: (name) => v.props.get(name.toUpperCase()) ?? v.begin };
    },
    componentLine(name, index) {
      const begins = logical.filter((l) => l.text.toUpperCase() === `BEGIN:${name.toUpperCase()}`);
      return begins[index]?.line ?? 1;
    },
  };
}
