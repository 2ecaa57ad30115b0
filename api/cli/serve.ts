import type { Command } from 'commander';
import { main as start } from '../start.ts';
import { withDbOption } from './common.ts';

export function registerServe(program: Command): void {
  withDbOption(program.command('serve').description('serve the web UI and API (same as npm start)'))
    .option('--port <port>', 'port (default: $PORT or 3000)')
    .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1); beyond loopback, login is required')
    .action(async (opts: { db?: string; port?: string; host?: string }) => {
      const args: string[] = [];
      if (opts.db) args.push('--db', opts.db);
      if (opts.port) args.push('--port', opts.port);
      if (opts.host) args.push('--host', opts.host);
      await start(args);
    });
}
