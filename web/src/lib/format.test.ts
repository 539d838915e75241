import { formatDuration, formatMoney, formatPercent, humanize } from './format';

describe('format', () => {
  it('formats durations as clock time', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3700)).toBe('1:01:40');
    expect(formatDuration(null)).toBe('—');
  });
  it('formats money, percentages and enum labels', () => {
    expect(formatMoney(450000)).toBe('$450,000');
    expect(formatPercent(0.8)).toBe('80%');
    expect(humanize('showing_booked')).toBe('Showing booked');
  });
});
