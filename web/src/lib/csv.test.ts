import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes commas, quotes and newlines and neutralises formulas', () => {
    const csv = toCsv(['name', 'note', 'n'], [
      ['Lopez, Maria', 'said "hi"', -5],
      ['=HYPERLINK("x")', 'line1\nline2', null],
    ]);
    expect(csv).toBe(
      'name,note,n\r\n"Lopez, Maria","said ""hi""",-5\r\n"\'=HYPERLINK(""x"")","line1\nline2",\r\n',
    );
  });
});
