// The sliced OPML reader against parseOpml (fast-xml-parser + feedsmith), which it stands in for
// on the import path: the same outlines from the same documents, the same documents refused.
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../main/core/errors';
import { parseOpml } from '../../main/core/opml';
import { readOpml, scanOpml, scanOpmlSync } from '../../main/core/opml-scan';

const doc = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Subs</title></head><body>${body}</body></opml>`;

const outcome = (read: (xml: string) => unknown, xml: string): unknown => {
  try {
    return read(xml);
  } catch (err) {
    if (err instanceof CommandError && err.code === 'validation' && err.message.startsWith('Not a valid OPML document: ')) return 'refused';
    throw err;
  }
};

const cases: Record<string, string> = {
  'nested folders': doc(`
    <outline text="News"><outline text="Deep"><outline text="One" type="rss" xmlUrl="https://one.example/feed"/></outline>
      <outline text="Two" xmlUrl="https://two.example/rss"/></outline>
    <outline text="Three" xmlUrl="http://three.example/atom.xml"/>`),
  'names and entities': doc(`
    <outline text="A &amp; B &amp;lt;i&amp;gt;" title="ignored" xmlUrl="https://a.example/?x=1&amp;y=2"/>
    <outline title="Only title" xmlUrl="https://b.example/"/><outline xmlUrl="https://c.example/"/>
    <outline text="" title="Empty text" xmlUrl="https://d.example/"/>`),
  'html and numeric entities, unknown ones kept': doc('<outline text="&nbsp;&copy;&#233;&#xE9; &foo; &amp" xmlUrl="https://x.example/&#38;"/>'),
  'lenient attribute values': doc(`<outline text="A & B < C > D" xmlUrl='https://x.example/'/><outline text="a\nb\tc" xmlUrl="https://y.example/"/>`),
  'attribute names in any case': doc('<outline TEXT="Caps" XMLURL="https://caps.example/"/><outline xmlurl="https://lower.example/"/>'),
  'spaces trimmed, empty url skipped': doc('<outline text="  T  " xmlUrl="  https://x.example/  "/><outline text="none" xmlUrl=" "/>'),
  'folders, links and empty body': doc('<outline text="Just a folder"/><outline text="Link" url="https://x.example/"/>'),
  'empty body': doc(''),
  'byte order mark': `\uFEFF${doc('<outline text="x" xmlUrl="https://x.example/"/>')}`,
  'comments, CDATA, text and child text ignored': doc('<!-- <outline xmlUrl="https://no.example/"/> --><![CDATA[ <outline xmlUrl="https://no2.example/"/> ]]>hello<outline xmlUrl="https://x.example/">inner</outline >'),
  'outlines outside the body or under other elements': '<opml><head><outline xmlUrl="https://head.example/"/></head><body><folder><outline xmlUrl="https://folder.example/"/></folder><outline xmlUrl="https://x.example/"/></body></opml>',
  'doctype, processing instructions, no declaration': '<!DOCTYPE opml [<!ENTITY boom "BOOM">]><?xml-stylesheet href="a.xsl"?><OPML><BODY><OUTLINE text="&boom;" xmlUrl="https://x.example/"/></BODY></OPML>',
  'unclosed element': doc('<outline text="x" xmlUrl="https://x.example/">'),
  'cut off inside a tag': '<opml><body><outline',
  'not XML': 'not xml at all',
  'mismatched end tag': '<a>&bogus;</b>',
  'duplicate attribute': doc('<outline text="A" text="B" xmlUrl="https://x.example/"/>'),
  'unquoted attribute': doc('<outline text=A xmlUrl="https://x.example/"/>'),
  'attribute without a value': doc('<outline checked xmlUrl="https://x.example/"/>'),
  'attributes run together': doc('<outline text="a"xmlUrl="https://x.example/"/>'),
  'bad element name': doc('<1outline xmlUrl="https://x.example/"/>'),
  'text after the root': `${doc('')}junk`,
  'a second root': `${doc('')}<opml/>`,
  'declaration not first': ` ${doc('')}`,
  'not OPML': '<rss version="2.0"><channel/></rss>',
  'no body': '<opml version="2.0"><head/></opml>',
  'OPML inside another root': '<root><opml><body><outline xmlUrl="https://x.example/"/></body></opml></root>',
  'empty document': '   ',
};

describe('scanOpml', () => {
  for (const [name, xml] of Object.entries(cases)) {
    it(`reads "${name}" as parseOpml does`, () => {
      expect(outcome(scanOpmlSync, xml)).toEqual(outcome(parseOpml, xml));
    });
  }

  it('agrees with parseOpml on a generated document of 3,000 outlines in folders', () => {
    const folders = Array.from({ length: 30 }, (_, f) => `<outline text="Folder ${f}">${Array.from({ length: 100 }, (_, i) => (
      `<outline type="rss" text="Feed ${f}.${i} &amp; more" title="t" xmlUrl="https://f${f}.example/${i}?a=1&amp;b=${i}"/>`)).join('\n')}</outline>`);
    const xml = doc(folders.join('\n'));
    const entries = scanOpmlSync(xml);
    expect(entries).toHaveLength(3000);
    expect(entries).toEqual(parseOpml(xml));
  });

  it('reads past a DOCTYPE whose internal subset holds brackets in comments and strings, expanding no entity', () => {
    // fast-xml-parser's validator refuses this well-formed document; the import accepts it.
    const xml = '<!DOCTYPE opml [<!ENTITY boom "]>BOOM"><!-- ] > -->]><opml><body><outline text="&boom;" xmlUrl="https://x.example/"/></body></opml>';
    expect(scanOpmlSync(xml)).toEqual([{ title: '&boom;', url: 'https://x.example/' }]);
  });

  it('says where malformed XML goes wrong, by line and column', () => {
    expect(() => scanOpmlSync('<opml>\n<body>\n  <outline text=oops/></body></opml>')).toThrow('Not a valid OPML document: the XML is malformed near line 3, column 17.');
    expect(() => scanOpmlSync('   ')).toThrow('Not a valid OPML document: the file is empty.');
    expect(() => scanOpmlSync('<rss/>')).toThrow('Not a valid OPML document: there is no <opml> element with a <body>.');
  });

  it('pauses every so many tags and nowhere else', () => {
    const xml = doc(Array.from({ length: 10 }, (_, i) => `<outline xmlUrl="https://x.example/${i}"/>`).join(''));
    // 18 tags (opml, head, title, /title, /head, body, 10 outlines, /body, /opml): a pause after 5, 10, 15.
    const scan = scanOpml(xml, 5);
    let pauses = 0;
    let step = scan.next();
    while (!step.done) {
      pauses++;
      step = scan.next();
    }
    expect(pauses).toBe(3);
    expect(step.value).toHaveLength(10);
  });

  it('lets other work run between slices of a 10,000-outline document', async () => {
    const xml = doc(Array.from({ length: 10_000 }, (_, i) => `<outline text="Feed ${i}" xmlUrl="https://x.example/${i}"/>`).join('\n'));
    const order: string[] = [];
    let pauses = 0;
    const reading = readOpml(xml, async () => {
      pauses++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }).then((entries) => { order.push(`read ${entries.length}`); });
    setImmediate(() => order.push('other work'));
    await reading;
    expect(order).toEqual(['other work', 'read 10000']);
    expect(pauses).toBeGreaterThanOrEqual(50);
  });
});
