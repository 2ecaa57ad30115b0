// The export worker's first module. A worker thread does not inherit the parent's TypeScript
// loader, so this plain module registers tsx and then imports the TypeScript entry it is given.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
