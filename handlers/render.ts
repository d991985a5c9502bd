// Renders and installs the config from the nodes directory alone: haproxy's
// run script calls it before starting HAProxy, so it always starts on a
// checked config holding the servers recorded before a restart.
import { main } from './cli/one-shot.ts';

main('render');
