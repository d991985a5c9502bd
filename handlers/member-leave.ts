// Serf's agent runs this on 'member-leave' (see the ha image's handlers.json).
import { main } from './cli/run-entry.ts';

main('member-leave');
