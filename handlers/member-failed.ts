// Serf's agent runs this on 'member-failed' (see the ha image's handlers.json).
import { main } from './cli/run-entry.ts';

main('member-failed');
