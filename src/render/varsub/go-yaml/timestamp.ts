// go-yaml v2 `resolve.go` parseTimestamp: a plain scalar that Go's time.Parse accepts in one of four
// layouts resolves to !!timestamp. Decoded into interface{} it stays the original string, so this only
// matters for the encoder, which quotes such strings.

const layouts = [
  // "2006-1-2T15:4:5.999999999Z07:00" (and lower-case t)
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/,
  // "2006-1-2 15:4:5.999999999"
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$/,
  // "2006-1-2"
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
];

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isGoYamlTimestamp(text: string): boolean {
  if (!/^\d{4}-/.test(text)) return false;
  return layouts.some((layout) => {
    const m = layout.exec(text);
    if (!m) return false;
    const [year, month, day, hour = 0, minute = 0, second = 0, zoneHour = 0, zoneMinute = 0] = m
      .slice(1)
      .map((part) => (part === undefined ? undefined : Number(part)));
    if (month === undefined || month < 1 || month > 12) return false;
    if (day === undefined || day < 1 || day > daysIn(month, year ?? 0)) return false;
    return hour < 24 && minute < 60 && second < 60 && zoneHour <= 24 && zoneMinute < 60;
  });
}
