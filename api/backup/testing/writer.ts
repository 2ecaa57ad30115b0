import { openAppDb } from '../../db.ts';
import { identifyLocalReviewer } from '../../auth/service.ts';
import { decide } from '../../review/decisions.ts';

/**
 * A second process that keeps writing reviews into a database file, as a busy server would,
 * for the backup-under-load test: `tsx writer.ts DB ITEM_IDS_JSON`. After each decision is
 * committed it prints `ack <reviewId> <ms since epoch>`; it stops on SIGTERM.
 */
const [dbPath, idsJson] = process.argv.slice(2);
const db = openAppDb(dbPath!);
const itemIds = JSON.parse(idsJson!) as number[];
const actors = ['Ann', 'Bob', 'Cem'].map((name) => identifyLocalReviewer(db, name));
let stop = false;
process.on('SIGTERM', () => {
  stop = true;
});
process.stdout.write('ready\n');
// Each visit changes the coder's label on the item: repeating one's standing decision records nothing.
const visits = new Map<string, number>();
let n = 0;
while (!stop) {
  const itemId = itemIds[n % itemIds.length]!;
  const actor = actors[n % actors.length]!;
  const visit = visits.get(`${actor.id}:${itemId}`) ?? 0;
  visits.set(`${actor.id}:${itemId}`, visit + 1);
  const version = (db.$client.prepare('SELECT version FROM items WHERE id = ?').get(itemId) as { version: number }).version;
  const { reviewId } = decide(db, actor, itemId, { action: 'edit', label: visit % 2 === 0 ? 'critical' : 'analytical', stance: 0, themes: [], basedOnVersion: version, note: `write ${n}` }, new Date());
  process.stdout.write(`ack ${reviewId} ${Date.now()}\n`);
  n++;
  // Yield so the signal is seen; a busy server commits this often or more.
  await new Promise((r) => setTimeout(r, 2));
}
db.$client.close();
