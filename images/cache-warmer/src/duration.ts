// Go-style durations ("90s", "1m30s", "250ms") or bare seconds ("30"), as the rest of podbay's images
// accept them. Returns milliseconds; throws on anything else.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    end = re.lastIndex;
  }
  return end > 0 && end === s.length ? total : undefined;
}
