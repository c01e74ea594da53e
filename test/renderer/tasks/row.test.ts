import { describe, expect, it } from 'vitest';
import { errorLabel } from '../../../renderer/tasks/row';

describe('errorLabel', () => {
  it('names the kind of error and its HTTP status', () => {
    expect(errorLabel({ kind: 'invalid-post', message: 'Your Tweet text is too long.', httpStatus: 400 })).toBe('Rejected by X (400): ');
  });
  it('leaves the status out when the message already gives it, so it is not said twice', () => {
    expect(errorLabel({ kind: 'invalid-post', message: 'X rejected the post (400): Your Tweet text is invalid.', httpStatus: 400 }))
      .toBe('Rejected by X: ');
  });
  it('names the kind alone for an error without a status', () => {
    expect(errorLabel({ kind: 'network', message: 'Connection reset.' })).toBe('Network error: ');
  });
});
