// Serf's agent runs this on 'member-failed' (see the ha image's serf.json).
import { main } from './lib/run-entry.ts';

main('member-failed');
