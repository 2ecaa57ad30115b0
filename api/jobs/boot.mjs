// Entry of a job worker thread: TypeScript is loaded through tsx, as in the main thread (loader
// hooks of the main thread do not reach worker threads), then the thread's own module runs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
