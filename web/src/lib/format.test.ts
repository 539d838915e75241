import { formatDateTime, formatDuration, formatMoney, formatPercent, formatPhone, humanize } from './format';

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
  it('formats US/Canada numbers as (512) 555-0111 and others as international', () => {
    expect(formatPhone('+15125550111')).toBe('(512) 555-0111');
    expect(formatPhone('+14165550199')).toBe('(416) 555-0199'); // Toronto
    expect(formatPhone('+447911123456')).toBe('+44 7911123456');
    expect(formatPhone('+4930123456')).toBe('+49 30123456');
    expect(formatPhone('+353861234567')).toBe('+353 861234567');
    expect(formatPhone('+79161234567')).toBe('+7 9161234567');
    expect(formatPhone('client:alice')).toBe('client:alice'); // not a number: as given
    expect(formatPhone('+1512555')).toBe('+1512555'); // too short for NANP: as given
    expect(formatPhone(null)).toBe('—');
  });
  it('shows absolute times with their time zone', () => {
    expect(formatDateTime('2025-01-10T12:00:00Z', 'America/Chicago')).toBe('Jan 10, 2025, 6:00 AM CST');
    expect(formatDateTime('2025-07-10T12:00:00Z', 'America/New_York')).toBe('Jul 10, 2025, 8:00 AM EDT');
    expect(formatDateTime('2025-01-10T12:00:00Z', 'UTC')).toBe('Jan 10, 2025, 12:00 PM UTC');
    expect(formatDateTime(null)).toBe('—');
  });
});
