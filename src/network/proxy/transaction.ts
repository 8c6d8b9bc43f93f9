/**
 * Turns the desired table into one `nft -f` transaction that replaces the live table
 * atomically (the kernel applies a whole batch or none of it):
 *
 *   add table; flush table (every chain's rules); flush every existing map (old elements);
 *   the desired table block (declares what is missing, adds rules and elements);
 *   delete the chains, maps and sets that are no longer wanted.
 *
 * The table itself is never deleted during a sync, so the ClientIP affinity sets keep their
 * entries (flush table leaves set elements alone) and packets never meet a missing table.
 */

export interface LiveObjects {
  chains: string[];
  maps: string[];
  sets: string[];
}

export interface DesiredObjects extends LiveObjects {
  /** The `table ip <name> { ... }` text from renderRuleset. */
  text: string;
}

export function buildTransaction(table: string, desired: DesiredObjects, live: LiveObjects): string {
  const lines = [`add table ip ${table}`, `flush table ip ${table}`];
  for (const m of live.maps) lines.push(`flush map ip ${table} ${m}`);
  lines.push(desired.text.trimEnd());
  for (const c of live.chains) if (!desired.chains.includes(c)) lines.push(`delete chain ip ${table} ${c}`);
  for (const m of live.maps) if (!desired.maps.includes(m)) lines.push(`delete map ip ${table} ${m}`);
  for (const s of live.sets) if (!desired.sets.includes(s)) lines.push(`delete set ip ${table} ${s}`);
  return `${lines.join('\n')}\n`;
}

/** Reads names out of `nft -j list table` output; an empty string (no table) means nothing. */
export function parseLiveObjects(json: string): LiveObjects {
  const live: LiveObjects = { chains: [], maps: [], sets: [] };
  if (!json.trim()) return live;
  const doc = JSON.parse(json) as { nftables?: Record<string, { name?: string }>[] };
  for (const item of doc.nftables ?? []) {
    if (item.chain?.name) live.chains.push(item.chain.name);
    else if (item.map?.name) live.maps.push(item.map.name);
    else if (item.set?.name) live.sets.push(item.set.name);
  }
  return live;
}
