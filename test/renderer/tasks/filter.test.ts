import { describe, expect, it } from 'vitest';
import { countByStatus, feedLabel, matchesQuery, visibleTasks } from '../../../renderer/tasks/filter';
import { makeFeed, makeTask } from '../../e2e/support/fixtures';

const feeds = [makeFeed({ id: 'blog', name: 'My Blog', title: 'The Example Blog' }), makeFeed({ id: 'news', url: 'https://news.example.com/rss' })];
const tasks = [
  makeTask({ id: 'old', feedId: 'blog', status: 'completed', itemTitle: 'Old post', text: 'Old post https://x' }, '2026-03-01T10:00:00.000Z'),
  makeTask({ id: 'new', feedId: 'news', status: 'failed', itemTitle: 'Fresh news', text: 'Café opens downtown' }, '2026-03-01T12:00:00.000Z'),
  makeTask({ id: 'mid', feedId: 'blog', status: 'pending', itemTitle: 'Middle', text: 'Some text' }, '2026-03-01T11:00:00.000Z'),
];

describe('feedLabel', () => {
  it('prefers the user’s name, then the feed’s title, then the URL’s host', () => {
    expect(feedLabel(feeds[0])).toBe('My Blog');
    expect(feedLabel(makeFeed({ id: 'x', title: 'Title' }))).toBe('Title');
    expect(feedLabel(feeds[1])).toBe('news.example.com');
    expect(feedLabel(undefined)).toBe('Unknown feed');
  });
});

describe('visibleTasks', () => {
  it('lists every task newest first', () => {
    expect(visibleTasks(tasks, feeds, { status: 'all', query: '' }).map((t) => t.id)).toEqual(['new', 'mid', 'old']);
  });

  it('keeps only the chosen status', () => {
    expect(visibleTasks(tasks, feeds, { status: 'failed', query: '' }).map((t) => t.id)).toEqual(['new']);
  });

  it('searches the feed’s label, the title and the post text, ignoring case and accents', () => {
    expect(visibleTasks(tasks, feeds, { status: 'all', query: 'my blog' }).map((t) => t.id)).toEqual(['mid', 'old']);
    expect(visibleTasks(tasks, feeds, { status: 'all', query: 'FRESH' }).map((t) => t.id)).toEqual(['new']);
    expect(visibleTasks(tasks, feeds, { status: 'all', query: 'cafe' }).map((t) => t.id)).toEqual(['new']);
  });

  it('needs every word of the query to match, and combines with the status filter', () => {
    expect(visibleTasks(tasks, feeds, { status: 'all', query: 'old https' }).map((t) => t.id)).toEqual(['old']);
    expect(visibleTasks(tasks, feeds, { status: 'pending', query: 'old' })).toEqual([]);
  });

  it('does not reorder the caller’s array', () => {
    const copy = [...tasks];
    visibleTasks(tasks, feeds, { status: 'all', query: '' });
    expect(tasks).toEqual(copy);
  });
});

describe('matchesQuery', () => {
  it('treats markup in the query as plain characters', () => {
    const t = makeTask({ id: 'x', itemTitle: '<img src=x onerror=alert(1)>' });
    expect(matchesQuery(t, 'feed', '<img')).toBe(true);
  });
});

describe('countByStatus', () => {
  it('counts each status and the total', () => {
    expect(countByStatus(tasks)).toEqual({ all: 3, review: 0, pending: 1, running: 0, completed: 1, failed: 1, cancelled: 0 });
  });
});
