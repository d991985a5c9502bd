// The one table of settings: the usage text, the option parser and a
// handler's hand-over (which must stay small: no parser) all read it.

/** Each option, its environment fallback and its default: the one table the usage text is built from. */
export const SETTINGS = [
  { key: 'nodesDir', flag: 'nodes-dir', env: 'NODES_DIR', fallback: '/nodes', help: 'one JSON file per live backend' },
  { key: 'template', flag: 'template', env: 'HAPROXY_TEMPLATE', fallback: '/usr/local/etc/haproxy/haproxy.cfg.hbs', help: 'Handlebars template of the whole config' },
  { key: 'config', flag: 'config', env: 'HAPROXY_CONFIG', fallback: '/usr/local/etc/haproxy/haproxy.cfg', help: 'live HAProxy config' },
  { key: 'checkCmd', flag: 'check-cmd', env: 'HAPROXY_CHECK_CMD', fallback: 'haproxy -c -q -f', help: 'validates a candidate config, given as last argument' },
  { key: 'reloadCmd', flag: 'reload-cmd', env: 'HAPROXY_RELOAD_CMD', fallback: 's6-svc -2 /run/service/haproxy', help: 'graceful reload (SIGUSR2 to the master)' },
  { key: 'membersCmd', flag: 'members-cmd', env: 'SERF_MEMBERS_CMD', fallback: 'serf members -format json', help: 'live members, for reconcile' },
  { key: 'membersRpc', flag: 'members-rpc', env: 'SERF_RPC_ADDR', fallback: 'none', help: "the agent's RPC (host:port, token in SERF_RPC_AUTH): live members read over it, not by --members-cmd ('none': the command)" },
  { key: 'role', flag: 'role', env: 'BACKEND_ROLE', fallback: 'backend', help: 'Serf role tag of the members that become servers' },
  { key: 'adminSocket', flag: 'admin-socket', env: 'HAPROXY_ADMIN_SOCKET', fallback: '/run/haproxy/admin.sock', help: "HAProxy's runtime API; 'none' changes HAProxy by reloads only" },
  { key: 'backend', flag: 'backend', env: 'HAPROXY_BACKEND', fallback: 'webapps', help: 'the backend whose servers the members are' },
  { key: 'templateCache', flag: 'template-cache', env: 'HAPROXY_TEMPLATE_CACHE', fallback: '/var/lib/haproxy/template-cache.json', help: 'the compiled template, kept between runs' },
  { key: 'stateFile', flag: 'state-file', env: 'HAPROXY_STATE_FILE', fallback: '/var/lib/haproxy/server-state', help: "the config's server-state-file, written before a reload" },
  { key: 'every', flag: 'every', env: 'RECONCILE_EVERY', fallback: '0', help: 'reconcile only: keep running, again every N seconds and at once on SIGHUP (0: run once)' },
  { key: 'monitorCmd', flag: 'monitor-cmd', env: 'SERF_MONITOR_CMD', fallback: 'serf monitor -log-level=info', help: "reconcile --every only: the agent's log stream; a member change in it starts a run at once ('none': off)" },
  { key: 'pipelineSocket', flag: 'pipeline-socket', env: 'PIPELINE_SOCKET', fallback: '/run/lb/pipeline.sock', help: "where the warm reconcile takes member events over (root only); 'none': every run does its own work" },
  { key: 'drainMs', flag: 'drain-ms', env: 'DRAIN_TIMEOUT_MS', fallback: '2000', help: 'how long a leaving server may finish its requests before they are cut' },
] as const;
