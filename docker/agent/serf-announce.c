/*
 * /lb/libexec/serf-announce ROLE NODE [JOIN...]: what the `serf` CLI did in
 * three calls (tags -set role=ROLE, join, event -coalesce=false
 * backend-ready NODE), over one connection to this container's agent's RPC
 * (SERF_RPC_ADDR, an IPv4 host:port, default 127.0.0.1:7373; MessagePack, as
 * serf's client/rpc_client.go speaks it). It runs on the path to traffic: one
 * static program instead of three starts of a Go binary. The token comes in
 * SERF_RPC_AUTH, as for the CLI.
 *   - the agent not answering yet: tries again every 20 ms;
 *   - the agent silent for RPC_TIMEOUT_S in the middle of a request (stopped,
 *     wedged): a new connection, and the three again, as the CLI's own
 *     timeout would have it; none of them harms when done twice;
 *   - no JOIN host answering: tries again every SERF_RETRY_INTERVAL (1s);
 *   - the agent refusing a request: one line, exit 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOIN 16
#define RPC_TIMEOUT_S 10

static int rpc = -1;
static struct sockaddr_in agent;
static uint64_t seq;
static unsigned char out[4096];
static size_t out_length;
static unsigned char in[4096];
static size_t in_start, in_end;

static void pause_ms(long ms) {
  struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

/* MessagePack, only the forms these requests need (lengths below 2^16). */
static void put(const void *bytes, size_t length) {
  if (out_length + length <= sizeof out) memcpy(out + out_length, bytes, length);
  out_length += length;
}
static void put_byte(unsigned char b) { put(&b, 1); }
static void put_length(unsigned char small_tag, size_t small_max, unsigned char tag16, size_t length) {
  if (length <= small_max) return put_byte((unsigned char)(small_tag | length));
  put_byte(tag16);
  put_byte((unsigned char)(length >> 8));
  put_byte((unsigned char)length);
}
static void put_map(size_t n) { put_length(0x80, 15, 0xde, n); }
static void put_array(size_t n) { put_length(0x90, 15, 0xdc, n); }
static void put_str(const char *s) {
  size_t length = strlen(s);
  put_length(0xa0, 31, 0xda, length);
  put(s, length);
}
static void put_bin(const char *s) {
  size_t length = strlen(s);
  put_byte(0xc5);
  put_byte((unsigned char)(length >> 8));
  put_byte((unsigned char)length);
  put(s, length);
}
static void put_uint(uint64_t v) {
  if (v < 128) return put_byte((unsigned char)v);
  put_byte(0xcf);
  for (int shift = 56; shift >= 0; shift -= 8) put_byte((unsigned char)(v >> shift));
}

/* A request's header ({Command, Seq}); its body follows with the put_ calls. */
static void begin(const char *command) {
  out_length = 0;
  put_map(2);
  put_str("Command");
  put_str(command);
  put_str("Seq");
  put_uint(++seq);
}

static int flush(void) {
  if (out_length > sizeof out) return -1;
  size_t sent = 0;
  while (sent < out_length) {
    ssize_t n = send(rpc, out + sent, out_length - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    sent += (size_t)n;
  }
  return 0;
}

static int get_byte(unsigned char *b) {
  if (in_start == in_end) {
    ssize_t n;
    do n = recv(rpc, in, sizeof in, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return -1;
    in_start = 0;
    in_end = (size_t)n;
  }
  *b = in[in_start++];
  return 0;
}

static int get_number(int bytes, uint64_t *v) {
  unsigned char b;
  *v = 0;
  for (int i = 0; i < bytes; i++) {
    if (get_byte(&b) != 0) return -1;
    *v = (*v << 8) | b;
  }
  return 0;
}

/*
 * One value: an integer goes to *number, a string (or bin) to text (cut to
 * its size, always terminated); maps and arrays are read through and count
 * as nothing. Returns -1 when the connection ends or the form is unknown.
 */
static int get_value(uint64_t *number, char *text, size_t size) {
  unsigned char tag;
  uint64_t length = 0, count = 0;
  if (get_byte(&tag) != 0) return -1;
  if (text && size) text[0] = '\0';
  if (tag <= 0x7f) return *number = tag, 0;
  if (tag >= 0xe0) return *number = 0, 0; /* a negative fixint: no count here is negative */
  if (tag == 0xc0 || tag == 0xc2 || tag == 0xc3) return 0;
  if (tag >= 0xcc && tag <= 0xd3) return get_number(1 << ((tag - 0xcc) & 3), number);
  if (tag == 0xca || tag == 0xcb) return get_number(tag == 0xca ? 4 : 8, &length);
  if ((tag & 0xe0) == 0xa0) length = tag & 0x1f;
  else if (tag == 0xd9 || tag == 0xc4) { if (get_number(1, &length)) return -1; }
  else if (tag == 0xda || tag == 0xc5) { if (get_number(2, &length)) return -1; }
  else if (tag == 0xdb || tag == 0xc6) { if (get_number(4, &length)) return -1; }
  else if ((tag & 0xf0) == 0x80) count = 2 * (uint64_t)(tag & 0x0f);
  else if ((tag & 0xf0) == 0x90) count = tag & 0x0f;
  else if (tag == 0xdc || tag == 0xdd) { if (get_number(tag == 0xdc ? 2 : 4, &count)) return -1; }
  else if (tag == 0xde || tag == 0xdf) { if (get_number(tag == 0xde ? 2 : 4, &count)) return -1; count *= 2; }
  else return -1;
  for (uint64_t i = 0; i < length; i++) {
    unsigned char b;
    if (get_byte(&b) != 0) return -1;
    if (text && i + 1 < size) text[i] = (char)b, text[i + 1] = '\0';
  }
  for (uint64_t i = 0; i < count; i++) {
    uint64_t ignored;
    if (get_value(&ignored, NULL, 0) != 0) return -1;
  }
  return 0;
}

/* A map's entries, each key given to `field` to read its value; -1 on a broken stream. */
static int get_map(int (*field)(const char *key, void *into), void *into) {
  unsigned char tag;
  uint64_t entries;
  if (get_byte(&tag) != 0) return -1;
  if ((tag & 0xf0) == 0x80) entries = tag & 0x0f;
  else if (tag == 0xde || tag == 0xdf) { if (get_number(tag == 0xde ? 2 : 4, &entries)) return -1; }
  else return -1;
  for (uint64_t i = 0; i < entries; i++) {
    char key[32];
    uint64_t ignored;
    if (get_value(&ignored, key, sizeof key) != 0 || field(key, into) != 0) return -1;
  }
  return 0;
}

struct header {
  uint64_t seq;
  char error[512];
};
static int header_field(const char *key, void *into) {
  struct header *h = into;
  uint64_t ignored;
  if (strcmp(key, "Seq") == 0) return get_value(&h->seq, NULL, 0);
  if (strcmp(key, "Error") == 0) return get_value(&ignored, h->error, sizeof h->error);
  return get_value(&ignored, NULL, 0);
}
static int skip_field(const char *key, void *into) {
  (void)key, (void)into;
  uint64_t ignored;
  return get_value(&ignored, NULL, 0);
}

/* Sends what begin() and the put_ calls made, reads the answer's header (and body); -1: the connection broke. */
static int call(struct header *h, int has_body) {
  memset(h, 0, sizeof *h);
  if (flush() != 0 || get_map(header_field, h) != 0 || h->seq != seq) return -1;
  if (has_body && get_map(skip_field, NULL) != 0) return -1;
  return 0;
}

/* SERF_RPC_ADDR as "a.b.c.d:port"; anything else is one line and exit 2, like the kit's other settings. */
static void agent_address(const char *text) {
  if (text == NULL || *text == '\0') text = "127.0.0.1:7373";
  char host[16] = "";
  const char *colon = strrchr(text, ':');
  char *end = NULL;
  long port = colon && colon[1] ? strtol(colon + 1, &end, 10) : 0;
  if (colon && (size_t)(colon - text) < sizeof host) memcpy(host, text, (size_t)(colon - text));
  agent.sin_family = AF_INET;
  if (end == NULL || *end != '\0' || port < 1 || port > 65535 || inet_pton(AF_INET, host, &agent.sin_addr) != 1) {
    fprintf(stderr, "announce: expected SERF_RPC_ADDR to be an IPv4 address and port such as 127.0.0.1:7373, got \"%s\"\n", text);
    exit(2);
  }
  agent.sin_port = htons((uint16_t)port);
}

/* SERF_RETRY_INTERVAL as serf-agent hands it to Serf, a Go duration of one unit ("1s", "500ms", "0.5s", "1m"). */
static long retry_interval_ms(const char *text) {
  if (text == NULL || *text == '\0') return 1000;
  char *unit;
  double value = strtod(text, &unit);
  double scale = strcmp(unit, "ms") == 0 ? 1 : strcmp(unit, "s") == 0 ? 1000 : strcmp(unit, "m") == 0 ? 60000 : strcmp(unit, "h") == 0 ? 3600000 : -1;
  if (unit == text || scale < 0 || !(value > 0) || value * scale > 86400000) {
    fprintf(stderr, "announce: expected SERF_RETRY_INTERVAL to be a duration such as 1s or 500ms, got \"%s\"\n", text);
    exit(2);
  }
  return value * scale < 20 ? 20 : (long)(value * scale);
}

static int connect_agent(void) {
  struct timeval timeout = {.tv_sec = RPC_TIMEOUT_S};
  rpc = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (rpc >= 0 && setsockopt(rpc, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0 &&
      setsockopt(rpc, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) == 0 && connect(rpc, (struct sockaddr *)&agent, sizeof agent) == 0) {
    in_start = in_end = 0;
    seq = 0;
    return 0;
  }
  if (rpc >= 0) close(rpc);
  rpc = -1;
  return -1;
}

static void refused(const char *what, const char *error) {
  fprintf(stderr, "announce: the Serf agent refused %s: %s\n", what, error);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: serf-announce ROLE NODE [JOIN...]\n");
    return 2;
  }
  const char *role = argv[1], *node = argv[2], *token = getenv("SERF_RPC_AUTH");
  agent_address(getenv("SERF_RPC_ADDR"));
  char **join = argv + 3;
  int joins = argc - 3 > MAX_JOIN ? MAX_JOIN : argc - 3;
  long retry_ms = retry_interval_ms(getenv("SERF_RETRY_INTERVAL"));
  struct header h;
  for (;;) {
    /* The agent starts beside the app and may not answer RPC yet. */
    if (rpc >= 0) close(rpc);
    if (connect_agent() != 0) {
      pause_ms(20);
      continue;
    }
    begin("handshake");
    put_map(1), put_str("Version"), put_uint(1);
    if (call(&h, 0) != 0) continue;
    if (h.error[0]) refused("the handshake", h.error);
    if (token && *token) {
      begin("auth");
      put_map(1), put_str("AuthKey"), put_str(token);
      if (call(&h, 0) != 0) continue;
      if (h.error[0]) refused("the RPC token (SERF_RPC_AUTH or serf_rpc_auth)", h.error);
    }
    /* The role goes first: the join's push-pull then carries it to ha with the rest of the state. */
    begin("tags");
    put_map(2), put_str("Tags"), put_map(1), put_str("role"), put_str(role);
    put_str("DeleteTags"), put_array(0);
    if (call(&h, 0) != 0) continue;
    if (h.error[0]) refused("the role tag", h.error);
    /* Any start order: until an ha agent answers, try again (ha also joins every backend it can resolve). */
    int joined = joins == 0, broken = 0;
    while (!joined && !broken) {
      begin("join");
      put_map(2), put_str("Existing"), put_array((size_t)joins);
      for (int i = 0; i < joins; i++) put_str(join[i]);
      put_str("Replay"), put_byte(0xc2);
      if (call(&h, 1) != 0) broken = 1;
      else if (h.error[0]) pause_ms(retry_ms);
      else joined = 1;
    }
    if (broken) continue;
    begin("event");
    put_map(3), put_str("Name"), put_str("backend-ready"), put_str("Payload"), put_bin(node), put_str("Coalesce"), put_byte(0xc2);
    if (call(&h, 0) != 0 || h.error[0])
      fprintf(stderr, "announce: serf event failed%s%s; the engine registers this backend on its next pass\n", h.error[0] ? ": " : "", h.error);
    return 0;
  }
}
