import { AppError } from '../../../src/infra/errors';
import { buildXml, child, childrenOf, el, MAX_XML_BYTES, NS, parseXml } from '../../../src/modules/dav/xml';

function expectError(fn: () => unknown, status: number, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(status);
    if (message) expect((err as AppError).message).toMatch(message);
    return;
  }
  throw new Error('expected an AppError');
}

describe('WebDAV XML parsing', () => {
  it('when prefixes differ or a default namespace is used, then names resolve to the same namespaces', () => {
    const a = parseXml('<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-home-set/></D:prop></D:propfind>');
    const b = parseXml('<propfind xmlns="DAV:"><prop><home xmlns="urn:ietf:params:xml:ns:caldav"/><x:calendar-home-set xmlns:x="urn:ietf:params:xml:ns:caldav"/></prop></propfind>');
    expect(a).toMatchObject({ ns: NS.DAV, name: 'propfind' });
    expect(child(child(a, NS.DAV, 'prop'), NS.CALDAV, 'calendar-home-set')).toBeDefined();
    const props = child(b, NS.DAV, 'prop')!.children.map((c) => `${c.ns} ${c.name}`);
    expect(props).toEqual([`${NS.CALDAV} home`, `${NS.CALDAV} calendar-home-set`]);
  });

  it('when text holds predefined entities, character references and CDATA, then it is decoded and not trimmed', () => {
    const doc = parseXml('<d:a xmlns:d="DAV:"><d:href> /x?a=1&amp;b=&#50;&#x33; </d:href><d:b><![CDATA[<raw>&]]></d:b></d:a>');
    expect(child(doc, NS.DAV, 'href')!.text).toBe(' /x?a=1&b=23 ');
    expect(child(doc, NS.DAV, 'b')!.text).toBe('<raw>&');
    expect(childrenOf(doc, NS.DAV, 'href')).toHaveLength(1);
  });

  it('when a body declares entities (billion laughs) or an external entity, then it is a 400 before any expansion', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><d:propfind xmlns:d="DAV:">&lol9;</d:propfind>`;
    expectError(() => parseXml(laughs), 400, /DTD/);
    expectError(() => parseXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>'), 400, /DTD/);
  });

  it('when the body is malformed, empty, too deep, has an undeclared prefix or two roots, then it is a 400 naming why', () => {
    expectError(() => parseXml('<d:a xmlns:d="DAV:"><d:b></d:a>'), 400, /line 1, column/);
    expectError(() => parseXml('   '), 400, /empty/);
    expectError(() => parseXml(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`), 400);
    expectError(() => parseXml('<q:a/>'), 400, /not declared/);
    expectError(() => parseXml('<a/><b/>'), 400);
  });

  it('when the body is over the limit, then it is a 413', () => {
    expectError(() => parseXml(`<a>${'x'.repeat(MAX_XML_BYTES)}</a>`), 413);
  });
});

describe('WebDAV XML building', () => {
  it('when a tree mixes known and unknown namespaces, then it parses back to the same names and escaped text', () => {
    const xml = buildXml(el(NS.DAV, 'multistatus', [
      el(NS.DAV, 'response', [
        el(NS.DAV, 'href', '/dav/a&b <c>.ics'),
        el(NS.CALDAV, 'calendar-data', 'BEGIN:VCALENDAR\r\nSUMMARY:a & b\r\nEND:VCALENDAR\r\n'),
        el('urn:other', 'unknown', []),
        el(NS.CS, 'getctag', '"1"'),
      ]),
    ]));
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const back = parseXml(xml);
    const response = child(back, NS.DAV, 'response')!;
    expect(child(response, NS.DAV, 'href')!.text).toBe('/dav/a&b <c>.ics');
    expect(child(response, NS.CALDAV, 'calendar-data')!.text).toContain('SUMMARY:a & b');
    expect(child(response, 'urn:other', 'unknown')).toBeDefined();
    expect(child(response, NS.CS, 'getctag')!.text).toBe('"1"');
  });
});
