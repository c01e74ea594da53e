import { describe, expect, it } from 'vitest';
import { titleIsRedundant } from '../../../renderer/tasks/row-title';

describe('titleIsRedundant', () => {
  it('finds the title at the start of the text, whatever the case, spacing and quotes', () => {
    expect(titleIsRedundant('Announcing Rust 1.95.0', 'Announcing Rust 1.95.0 #rustlang https://x.example/1')).toBe(true);
    expect(titleIsRedundant('  “Hello”   World ', 'hello world — more https://x.example/1')).toBe(true);
    expect(titleIsRedundant('Ends with a colon:', 'Ends with a colon https://x.example/1')).toBe(true);
  });
  it('counts an empty title as saying nothing', () => {
    expect(titleIsRedundant('', 'Anything')).toBe(true);
  });
  it('matches whole words only: "Release 1" is not the start of "Release 10"', () => {
    expect(titleIsRedundant('Release 1', 'Release 10 is out https://x.example/1')).toBe(false);
  });
  it('sees a long title the template cut with an ellipsis', () => {
    const title = 'A very long title about the merge window and everything that landed in it this time';
    expect(titleIsRedundant(title, 'A very long title about the merge window… https://x.example/1')).toBe(true);
    expect(titleIsRedundant(title, 'A very… https://x.example/1')).toBe(false);
  });
  it('keeps a title the text does not open with', () => {
    expect(titleIsRedundant('Weekly digest', 'Five things we shipped this week https://x.example/1')).toBe(false);
  });
});
