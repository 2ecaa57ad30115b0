// A claimer process for api/jobs/claimers.test.ts: opens the database it is given (an SQLite
// file or a postgres:// URL), claims jobs until none is left, and prints the ids it got.
import { openDb } from '../../../db/client.ts';
import { DbJobQueue } from '../queue.ts';

const [target, owner] = process.argv.slice(2);
const db = openDb(target!, { migrate: false });
const queue = new DbJobQueue(db);
const ids: number[] = [];
for (let job = queue.claim(owner!, new Date()); job; job = queue.claim(owner!, new Date())) ids.push(job.id);
db.$client.close();
process.stdout.write(JSON.stringify(ids));
