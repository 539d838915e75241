export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180: quote fields containing quotes, commas or line breaks; double embedded quotes. */
export function toCsv(headers: string[], rows: CsvValue[][]): string {
  const cell = (v: CsvValue) => {
    const s = v == null ? '' : String(v);
    // A leading = + - @ makes spreadsheets run the cell as a formula; prefix it so exported data stays data.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
