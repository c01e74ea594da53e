import { describe, expect, it } from 'vitest';
import { csvCell, CSV_HEADER, exportTasks } from '../../../main/core/tasks/export';
import { makeTask } from './task-fixtures';

const feeds = [
  { id: 'named', name: 'My label', title: 'Feed title', url: 'https://example.com/a.xml' },
  { id: 'titled', name: null, title: 'Feed title', url: 'https://example.com/b.xml' },
  { id: 'bare', name: null, title: null, url: 'https://example.com/c.xml' },
];

describe('a CSV cell', () => {
  it.each<[string, string | number | null, string]>([
    ['plain text as it is', 'Hello world', 'Hello world'],
    ['a number', 3, '3'],
    ['null as an empty cell', null, ''],
    ['a comma quoted', 'a, b', '"a, b"'],
    ['quotes doubled and quoted', 'say "hi"', '"say ""hi"""'],
    ['a line break quoted', 'one\ntwo', '"one\ntwo"'],
    ['a CRLF quoted', 'one\r\ntwo', '"one\r\ntwo"'],
    ['a formula (=) made text', '=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ['a leading + made text', '+1 for this', "'+1 for this"],
    ['a leading - made text', '-2 points', "'-2 points"],
    ['a leading @ made text', '@crier posted', "'@crier posted"],
    ['a leading tab made text', '\tindent', "'\tindent"],
    ['a sign inside left alone', 'a=b+c', 'a=b+c'],
    ['right-to-left text as it is', 'שלום עולם', 'שלום עולם'],
  ])('%s', (_name, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe('exporting the task history', () => {
  const tasks = [
    makeTask({ id: 'old', feedId: 'named', createdAt: '2026-01-01T00:00:00.000Z', status: 'completed', attempts: 1, finishedAt: '2026-01-01T00:01:00.000Z', postUrl: 'https://x.com/i/status/1' }),
    makeTask({ id: 'new', feedId: 'titled', createdAt: '2026-01-02T00:00:00.000Z', status: 'failed', attempts: 3, itemTitle: 'A, "quoted" title', error: { kind: 'server', message: 'X answered 503.' } }),
    makeTask({ id: 'mid', feedId: 'bare', createdAt: '2026-01-01T12:00:00.000Z', itemLink: null, text: '=1+1' }),
    makeTask({ id: 'orphan', feedId: 'gone', createdAt: '2025-12-31T00:00:00.000Z', status: 'cancelled' }),
  ];

  it('writes CSV with the header line, newest first, CRLF line ends and a trailing one', () => {
    const csv = exportTasks(tasks, feeds, 'csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,status,feed,title,link,text,created,finished,attempts,postUrl,error');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(['new', 'mid', 'old', 'orphan']);
    expect(lines.at(-1)).toBe('');
  });

  it.each<[string, string, string]>([
    ['the user\'s label for the feed', 'old', 'old,completed,My label,Title old,https://example.com/old,Post old https://example.com/old,2026-01-01T00:00:00.000Z,2026-01-01T00:01:00.000Z,1,https://x.com/i/status/1,'],
    ['the feed\'s title without a label, a quoted title and the error', 'new', 'new,failed,Feed title,"A, ""quoted"" title",https://example.com/new,Post new https://example.com/new,2026-01-02T00:00:00.000Z,,3,,X answered 503.'],
    ['the feed\'s address without either, no link, a formula made text', 'mid', "mid,pending,https://example.com/c.xml,Title mid,,'=1+1,2026-01-01T12:00:00.000Z,,0,,"],
    ['the feed id of a feed no longer followed', 'orphan', 'orphan,cancelled,gone,Title orphan,https://example.com/orphan,Post orphan https://example.com/orphan,2025-12-31T00:00:00.000Z,,0,,'],
  ])('writes %s', (_name, id, line) => {
    const lines = exportTasks(tasks, feeds, 'csv').split('\r\n');
    expect(lines.find((l) => l.startsWith(`${id},`))).toBe(line);
  });

  it('writes JSON as an array of the tasks, newest first, that reads back as they were', () => {
    const json = exportTasks(tasks, feeds, 'json');
    const parsed: unknown = JSON.parse(json);
    expect(parsed).toEqual([tasks[1], tasks[2], tasks[0], tasks[3]]);
  });

  it('writes an empty history as the header alone, or an empty array', () => {
    expect(exportTasks([], feeds, 'csv')).toBe(`${CSV_HEADER.join(',')}\r\n`);
    expect(JSON.parse(exportTasks([], feeds, 'json'))).toEqual([]);
  });
});
