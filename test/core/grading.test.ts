import { checkChoice, grade } from '../../src/core/grading';
import { fixtureBank } from './fixtures';

const bank = fixtureBank();
const item = (id: string) => {
  const i = bank.item(id);
  if (!i) throw new Error(id);
  return i;
};

describe('grading', () => {
  it('grades single answers all-or-nothing', () => {
    expect(grade(item('fx-single-1'), ['a'])).toEqual({ correct: true, earned: 1, possible: 1 });
    expect(grade(item('fx-single-1'), ['b'])).toEqual({ correct: false, earned: 0, possible: 1 });
  });

  it('gives one part per keyed option in a multiple answer, points only when fully right', () => {
    expect(grade(item('fx-multi-1'), ['a', 'c'])).toEqual({ correct: true, earned: 2, possible: 2 });
    expect(grade(item('fx-multi-1'), ['a', 'b'])).toEqual({ correct: false, earned: 1, possible: 2 });
  });

  it('gives one part per step in its right place for ordering', () => {
    expect(grade(item('fx-order-1'), ['b', 'a', 'c'])).toEqual({ correct: true, earned: 3, possible: 3 });
    expect(grade(item('fx-order-1'), ['b', 'c', 'a'])).toEqual({ correct: false, earned: 1, possible: 3 });
    expect(grade(item('fx-order-1'), ['d', 'a', 'c'])).toEqual({ correct: false, earned: 2, possible: 3 });
  });

  it('grades each statement of a series as its own item', () => {
    expect(grade(item('fx-series-1-1'), ['yes']).correct).toBe(true);
    expect(grade(item('fx-series-1-2'), ['yes']).correct).toBe(false);
  });

  it('rejects choices of the wrong shape before grading', () => {
    expect(checkChoice(item('fx-multi-1'), ['a'])).toEqual({ problem: 'wrong-count', expected: 2, got: 1 });
    expect(checkChoice(item('fx-single-1'), ['z'])).toEqual({ problem: 'unknown-option', option: 'z' });
    expect(checkChoice(item('fx-order-1'), ['a', 'a', 'b'])).toEqual({ problem: 'repeated-option' });
    expect(checkChoice(item('fx-order-1'), ['b', 'a', 'c'])).toBeUndefined();
  });
});
