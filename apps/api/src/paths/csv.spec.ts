import { toCsv } from './csv';

describe('CSV', () => {
  it('quotes what needs quoting, joins arrays and defuses formulas', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['x,y', 'say "hi"', ['BC01', 'BC02']],
          ['=1+1', null, 3],
        ],
      ),
    ).toBe('a,b,c\r\n"x,y","say ""hi""",BC01 BC02\r\n\'=1+1,,3\r\n');
  });
});
