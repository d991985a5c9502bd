// Makes /nodes, haproxy.cfg and the running HAProxy the agent's alive
// backends. Once by hand; with --interval (RECONCILE_INTERVAL, as the ha
// image runs it) it keeps running as the engine every member event wakes.
import { main } from './cli/one-shot.ts';
import { runEngine } from './engine/engine.ts';

main('reconcile', runEngine);
