/*
 * /lb/init: PID 1 of any image that carries the agent kit (docs/agent-kit.md).
 *   /lb/init -- <the app's command>
 * Starts the app, then a Serf agent with the role "starting"; probes the app's
 * port every few milliseconds (TCP connect, or GET LB_HEALTH_PATH) and, at the
 * first answer, runs /lb/bin/announce (role tag, join, event backend-ready).
 * A stop signal makes the agent leave, waits until HAProxy sends nothing more
 * (no established connection on LB_PORT for LB_DRAIN_QUIET_MS, at most
 * LB_DRAIN_MAX_MS), then hands that same signal to the app. The container
 * exits with the app's code. Static (musl): it needs nothing of the image.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT "/lb/bin/serf-agent"
#define ANNOUNCE "/lb/bin/announce"
#define KIT_PATH "/lb/bin"
#define LEAVE_MAX_MS 5000
#define AGENT_RESTART_MS 500

static long port, drain_quiet_ms, drain_max_ms, probe_ms;
static const char *health_path;
static pid_t app = -1, agent = -1, announcer = -1;
/*
 * A settled agent has run this long once, or was killed by a signal (a crash,
 * the OOM killer, kill -9): exiting by itself sooner the first time is a bad
 * setting, which a restart would only repeat.
 */
#define AGENT_SETTLED_MS 1000
static long agent_started_at;

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("lb/init: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One line, what was expected and what came; 2 as a bad option, like the webapp. */
static long integer_env(const char *name, long fallback, long min, long max, const char *expected) {
  const char *text = getenv(name);
  if (text == NULL || *text == '\0') {
    if (fallback >= 0) return fallback;
    say("expected %s to be %s, got nothing (set it in the environment)", name, expected);
    exit(2);
  }
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (*end != '\0' || errno != 0 || text[0] < '0' || text[0] > '9' || value < min || value > max) {
    say("expected %s to be %s, got \"%s\"", name, expected, text);
    exit(2);
  }
  return value;
}

/* It becomes a Serf tag the template prints after `GET`: one plain token (see handlers/members/tags.ts). */
static const char *health_path_env(void) {
  const char *path = getenv("LB_HEALTH_PATH");
  if (path == NULL || *path == '\0') return NULL;
  size_t length = strlen(path);
  int plain = path[0] == '/' && length <= 128;
  for (size_t i = 0; plain && i < length; i++) plain = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:/@+=,-", path[i]) != NULL;
  if (!plain) {
    say("expected LB_HEALTH_PATH to be a path such as /health (at most 128 of [A-Za-z0-9_.:/@+=,-], no query), got \"%s\"", path);
    exit(2);
  }
  return path;
}

static sigset_t all_signals;

/* The kit's own processes find busybox and serf first; the app keeps the image's PATH. */
static void kit_environment(void) {
  const char *path = getenv("PATH");
  char joined[4096];
  snprintf(joined, sizeof joined, "%s:%s", KIT_PATH, path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  setenv("PATH", joined, 1);
}

/*
 * At the app's own priority: the agent's join is on the path to traffic, and
 * a container is a CPU group of its own, so the agent only ever competes with
 * its own app (at nice 10, the join took twice as long under load).
 */
static pid_t spawn_kit(const char *script, char *const extra_env[]) {
  pid_t pid = fork();
  if (pid < 0) {
    say("cannot fork for %s: %s", script, strerror(errno));
    return -1;
  }
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &(sigset_t){0}, NULL);
    kit_environment();
    for (int i = 0; extra_env[i] != NULL; i += 2) setenv(extra_env[i], extra_env[i + 1], 1);
    execl("/lb/bin/sh", "sh", script, (char *)NULL);
    say("cannot run %s: %s", script, strerror(errno));
    _exit(127);
  }
  return pid;
}

/* " name=value" when the value is set, nothing otherwise: two printf arguments. */
#define TAG(name, value) (value) && *(value) ? " " name "=" : "", (value) && *(value) ? (value) : ""

static void start_agent(void) {
  /* Room for 16 host names of 253 characters. */
  char tags[4608];
  const char *more = getenv("SERF_TAGS");
  const char *weight = getenv("LB_WEIGHT");
  /* The service and the requests it takes (docs/services.md); ha validates every value. */
  const char *service = getenv("LB_SERVICE"), *hosts = getenv("LB_HOSTS"), *path = getenv("LB_PATH");
  /* Without a health path the tag is absent, and ha's template checks with a TCP connect. */
  int length = snprintf(tags, sizeof tags, "port=%ld%s%s%s%s%s%s%s%s%s%s %s", port, TAG("weight", weight), TAG("health", health_path),
                        TAG("service", service), TAG("hosts", hosts), TAG("path", path), more ? more : "");
  if (length >= (int)sizeof tags) say("the agent's tags are %d bytes, more than %zu: cut short", length, sizeof tags - 1);
  /* Joins no one and carries "starting", which ha ignores, until announce gives it its role once the app answers. */
  char *env[] = {"SERF_ROLE", "starting", "SERF_JOIN", "", "SERF_TAGS", tags, NULL};
  agent = spawn_kit(AGENT, env);
  agent_started_at = now_ms();
}

static void start_announce(void) {
  char *env[] = {NULL};
  announcer = spawn_kit(ANNOUNCE, env);
}

/* The exec error comes back over a close-on-exec pipe: nothing arrives when exec succeeded. */
static void start_app(char **command) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    say("cannot make a pipe: %s", strerror(errno));
    exit(1);
  }
  app = fork();
  if (app < 0) {
    say("cannot fork for the app: %s", strerror(errno));
    exit(1);
  }
  if (app == 0) {
    close(report[0]);
    sigprocmask(SIG_SETMASK, &(sigset_t){0}, NULL);
    execvp(command[0], command);
    int error = errno;
    (void)!write(report[1], &error, sizeof error);
    _exit(127);
  }
  close(report[1]);
  int error = 0;
  ssize_t got;
  do got = read(report[0], &error, sizeof error);
  while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == sizeof error) {
    say("expected the app's command after -- to be an executable in PATH, got \"%s\": %s", command[0], strerror(error));
    exit(error == ENOENT ? 127 : 126);
  }
}

static int connect_local(void) {
  struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, (struct sockaddr *)&v4, sizeof v4) == 0) return fd;
  if (fd >= 0) close(fd);
  /* An app that listens on ::1 only. */
  fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, (struct sockaddr *)&v6, sizeof v6) == 0) return fd;
  if (fd >= 0) close(fd);
  return -1;
}

/* Does the app answer? A connect, or with a health path a 2xx to GET, as HAProxy will check it. */
static int app_answers(void) {
  int fd = connect_local();
  if (fd < 0) return 0;
  if (health_path == NULL) {
    close(fd);
    return 1;
  }
  struct timeval limit = {.tv_sec = 1};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  char request[256], reply[16] = {0};
  int length = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: localhost\r\nUser-Agent: lb-init\r\n\r\n", health_path);
  size_t have = 0;
  /* MSG_NOSIGNAL: every signal is blocked here, and a pending SIGPIPE would be taken for one to hand on to the app. */
  if (send(fd, request, (size_t)length, MSG_NOSIGNAL) == length) {
    while (have < 12) {
      ssize_t got = read(fd, reply + have, 12 - have);
      if (got <= 0) break;
      have += (size_t)got;
    }
  }
  close(fd);
  return have >= 10 && strncmp(reply, "HTTP/1.", 7) == 0 && reply[9] == '2';
}

/* Established TCP connections whose local port is the app's, in this container's network namespace. */
static int established_connections(void) {
  int count = 0;
  const char *tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
  for (int t = 0; t < 2; t++) {
    FILE *table = fopen(tables[t], "re");
    if (table == NULL) continue;
    char line[512];
    (void)!fgets(line, sizeof line, table);
    while (fgets(line, sizeof line, table)) {
      char local[128];
      unsigned state;
      if (sscanf(line, " %*s %127s %*s %x", local, &state) != 2) continue;
      char *colon = strrchr(local, ':');
      if (colon && strtol(colon + 1, NULL, 16) == port && state == 1) count++;
    }
    fclose(table);
  }
  return count;
}

static int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Signals for the app: not SIGCHLD (ours), nor SIGPIPE or SIGURG, which only this process's own sockets raise. */
static int for_the_app(int signal) {
  return signal != 0 && signal != SIGCHLD && signal != SIGPIPE && signal != SIGURG;
}

static int is_stop_signal(int signal, int stop_signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGQUIT || signal == stop_signal;
}

/* Waits for one signal for at most `ms` (0: only what is pending); returns it, or 0. */
static int next_signal(long ms, siginfo_t *info) {
  struct timespec wait = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
  int signal = sigtimedwait(&all_signals, info, &wait);
  return signal < 0 ? 0 : signal;
}

static int app_status = -1, agent_status = -1;

/* Reaps every child: PID 1 inherits the app's orphans too. */
static void reap(long *agent_died_at) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == app) {
      app = -1;
      app_status = status;
    } else if (pid == agent) {
      agent = -1;
      agent_status = status;
      *agent_died_at = now_ms();
    } else if (pid == announcer) {
      announcer = -1;
      if (exit_code(status) != 0) say("announce exited with %d", exit_code(status));
    }
  }
}

/* SIGINT is the agent's graceful leave: it tells the cluster at once, then lingers about a second for it to spread. */
static void start_leaving(void) {
  if (announcer > 0) kill(announcer, SIGKILL);
  if (agent > 0) kill(agent, SIGINT);
}

/* Waits until both the app and the agent are gone; an agent that will not leave by the deadline is killed. */
static int wait_for_exits(long agent_deadline) {
  long ignored = 0;
  siginfo_t info;
  while (app > 0 || agent > 0) {
    if (agent > 0 && now_ms() >= agent_deadline) {
      say("the agent did not leave within %d ms; killed", LEAVE_MAX_MS);
      kill(agent, SIGKILL);
      agent_deadline = now_ms() + 60000;
    }
    int signal = next_signal(20, &info);
    if (signal == SIGCHLD || signal == 0) reap(&ignored);
    else if (app > 0 && for_the_app(signal)) kill(app, signal);
  }
  return exit_code(app_status);
}

/*
 * The agent leaves, then the server drains: the kit waits until no
 * connection to the app's port is left for LB_DRAIN_QUIET_MS (HAProxy sends
 * nothing more), at most LB_DRAIN_MAX_MS; then the signal Docker sent
 * (SIGTERM, or the image's STOPSIGNAL) goes to the app.
 */
static int stop(int stop_signal) {
  long started = now_ms(), quiet_since = now_ms(), ignored = 0;
  start_leaving();
  siginfo_t info;
  while (app > 0 && now_ms() - started < drain_max_ms && now_ms() - quiet_since < drain_quiet_ms) {
    if (established_connections() > 0) quiet_since = now_ms();
    int signal = next_signal(20, &info);
    if (signal == SIGCHLD) reap(&ignored);
    /* A second stop signal: no more waiting. */
    else if (signal != 0 && is_stop_signal(signal, 0)) break;
    else if (app > 0 && for_the_app(signal)) kill(app, signal);
  }
  if (app > 0) {
    if (drain_max_ms > 0) say("drained in %ld ms; sending signal %d to the app", now_ms() - started, stop_signal);
    kill(app, stop_signal);
  }
  return wait_for_exits(started + LEAVE_MAX_MS);
}

static int signal_number(const char *name) {
  if (name == NULL || *name == '\0') return 0;
  if (strncmp(name, "SIG", 3) == 0) name += 3;
  const char *names[] = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH"};
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (strcmp(name, names[i]) == 0) return i + 1;
  say("expected LB_STOP_SIGNAL to be a signal name such as SIGQUIT or SIGWINCH, got \"%s\"", name);
  exit(2);
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--") != 0 || argc < 3) {
    say("expected the app's command after --, as in ENTRYPOINT [\"/lb/init\", \"--\"] with the image's CMD, got %s",
        argc < 2 ? "no arguments" : strcmp(argv[1], "--") != 0 ? argv[1] : "nothing after --");
    return 2;
  }
  port = integer_env("LB_PORT", -1, 1, 65535, "the TCP port the app listens on, 1..65535");
  integer_env("LB_WEIGHT", 0, 0, 256, "a weight 0..256");
  health_path = health_path_env();
  drain_quiet_ms = integer_env("LB_DRAIN_QUIET_MS", 1000, 0, 3600000, "milliseconds 0..3600000");
  drain_max_ms = integer_env("LB_DRAIN_MAX_MS", 8000, 0, 3600000, "milliseconds 0..3600000");
  probe_ms = integer_env("LB_PROBE_INTERVAL_MS", 5, 1, 60000, "milliseconds 1..60000");
  int stop_signal = signal_number(getenv("LB_STOP_SIGNAL"));

  /* Every signal is taken synchronously (sigtimedwait); children get a clean mask before exec. */
  sigfillset(&all_signals);
  sigprocmask(SIG_BLOCK, &all_signals, NULL);
  setvbuf(stderr, NULL, _IOLBF, 0);

  long started = now_ms();
  start_app(argv + 2);
  start_agent();
  int ready = 0, agent_settled = 0;
  long agent_died_at = 0;
  siginfo_t info;
  for (;;) {
    if (!ready && app > 0 && app_answers()) {
      ready = 1;
      say("the app answers on port %ld after %ld ms; announcing", port, now_ms() - started);
      start_announce();
    }
    int signal = next_signal(ready ? 200 : probe_ms, &info);
    if (signal == SIGCHLD || signal == 0) {
      reap(&agent_died_at);
    } else if (is_stop_signal(signal, stop_signal)) {
      return stop(stop_signal ? stop_signal : signal);
    } else if (app > 0 && for_the_app(signal)) {
      kill(app, signal);
    }
    if (app <= 0) {
      /* Never announce a dead app: the agent leaves, and the container ends with the app's code. */
      int code = exit_code(app_status);
      say("the app exited with %d; leaving the cluster", code);
      start_leaving();
      return wait_for_exits(now_ms() + LEAVE_MAX_MS);
    }
    if (agent <= 0 && agent_died_at && (agent_died_at - agent_started_at >= AGENT_SETTLED_MS || WIFSIGNALED(agent_status))) agent_settled = 1;
    if (agent <= 0 && agent_died_at && !agent_settled) {
      /* serf-agent has said which setting is wrong, in one line: restarting would only repeat it. */
      say("the Serf agent stopped at its start (the line above says why); stopping the app");
      if (app > 0) kill(app, SIGTERM);
      wait_for_exits(now_ms());
      return 2;
    }
    if (agent > 0 && !agent_settled && now_ms() - agent_started_at >= AGENT_SETTLED_MS) agent_settled = 1;
    if (agent <= 0 && agent_died_at && now_ms() - agent_died_at >= AGENT_RESTART_MS) {
      say("the agent exited; restarting it");
      agent_died_at = 0;
      if (announcer > 0) kill(announcer, SIGKILL);
      start_agent();
      if (ready) start_announce();
    }
  }
}
