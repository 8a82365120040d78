/*
 * svcmgr-client: the verbs scripts call in loops, answered without starting a JVM.
 *
 * The launcher (./svcmgr) runs this first for is-active, is-failed, is-system-running, start, stop,
 * restart, try-restart, reload and isolate. It takes exactly the fixed argument shapes the Java fast
 * path (cli/src/main/java/dev/svcmgr/cli/FastPath.java) takes: the verb, unit names, at most
 * --runtime-dir DIR, --no-block for the transactions, and the accepted habits (-q, --quiet,
 * --no-pager, -l, --full). Anything else (another option, --help, --json, a glob pattern, a byte
 * outside ASCII, $SVCMGR_TIMEOUT, a socket path too long for sun_path) makes it exit 125 before it
 * has done anything, and the launcher runs the Java program, which has the one picocli model of
 * every command (help, completion and man pages come from it). What it prints and the exit codes
 * are the Java commands' (ClientCommand, UnitQuery, TransactionCommand, IsSystemRunningCommand);
 * NativeClientTest runs both on the same daemon and compares them byte for byte.
 *
 * The reads status, list-units, why, show and list-dependencies it does not answer itself: it sends the command
 * line to the daemon (the protocol's render verb, docs/protocol.md), which runs the Java command classes in their
 * fixed shapes (dev.svcmgr.cli.DaemonRendering) with this client's rights, colour and TZ, and returns what they
 * wrote; this writes it in the locale's character set as the JVM would. Whatever the daemon does not render, or
 * any failure to ask it, is exit 125 with nothing printed.
 *
 * Why: a JVM's start-up is 0.15-0.3 s on this kind of host, most of a read verb's time
 * (docs/benchmarks.md, issue 13); this answers in a few milliseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define NOT_MINE 125
#define OK 0
#define FAILURE 1
#define NOT_ACTIVE 3
#define NO_SUCH_UNIT 4
#define DEFAULT_TIMEOUT_MS 90000

/* ---- output ---------------------------------------------------------------------------------- */

static int quiet;

static void out_line(const char *s) {
    if (!quiet) printf("%s\n", s);
}

/*
 * render: every failure (no daemon, none that answers, a daemon that does not render, a reply this client cannot
 * read) exits NOT_MINE having printed nothing, and the JVM runs the command and says what it says (reads are
 * idempotent, so asking twice changes nothing)
 */
static int soft;

static void oom(void) {
    if (soft) exit(NOT_MINE);
    fputs("svcmgr: out of memory\n", stderr);
    exit(FAILURE);
}

static void err_line(const char *fmt, ...) {
    va_list ap;
    if (soft) exit(NOT_MINE);
    fflush(stdout);
    fputs("svcmgr: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- a small JSON reader (the daemon's replies are one JSON object per line) ------------------- */

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    int type;
    char *str;        /* J_STR: the value, UTF-8, NUL-terminated (it may hold NULs: len); J_NUM: its text */
    size_t len;       /* J_STR: the value's length in bytes */
    char *key;        /* the key when this is an object member */
    struct jv *first; /* J_ARR, J_OBJ: the first element or member */
    struct jv *next;  /* the next element or member of the parent */
} jv;

typedef struct {
    const char *p, *end;
    const char *error;
} reader;

static void skip_ws(reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n')) r->p++;
}

static jv *new_jv(int type) {
    jv *v = calloc(1, sizeof *v);
    if (!v) oom();
    v->type = type;
    return v;
}

static void put_utf8(char **o, unsigned c) {
    char *q = *o;
    if (c < 0x80) *q++ = (char)c;
    else if (c < 0x800) { *q++ = (char)(0xC0 | c >> 6); *q++ = (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { *q++ = (char)(0xE0 | c >> 12); *q++ = (char)(0x80 | (c >> 6 & 0x3F)); *q++ = (char)(0x80 | (c & 0x3F)); }
    else { *q++ = (char)(0xF0 | c >> 18); *q++ = (char)(0x80 | (c >> 12 & 0x3F)); *q++ = (char)(0x80 | (c >> 6 & 0x3F)); *q++ = (char)(0x80 | (c & 0x3F)); }
    *o = q;
}

static int hex4(reader *r, unsigned *c) {
    if (r->end - r->p < 4) return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char h = *r->p++;
        v <<= 4;
        if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
        else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
        else return 0;
    }
    *c = v;
    return 1;
}

static char *read_string(reader *r, size_t *len) {
    /* at the opening quote; the decoded text is never longer than the encoded one, which ends at the closing quote */
    r->p++;
    const char *q = r->p;
    while (q < r->end && *q != '"') q += *q == '\\' && q + 1 < r->end ? 2 : 1;
    char *s = malloc((size_t)(q - r->p) + 1), *o = s;
    if (!s) oom();
    while (r->p < r->end && *r->p != '"') {
        unsigned char ch = (unsigned char)*r->p++;
        if (ch < 0x20) { r->error = "a control character in a string"; return NULL; }
        if (ch != '\\') { *o++ = (char)ch; continue; }
        if (r->p >= r->end) break;
        char e = *r->p++;
        unsigned c;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
            if (!hex4(r, &c)) { r->error = "a bad \\u escape"; return NULL; }
            if (c >= 0xD800 && c < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
                unsigned lo;
                const char *back = r->p;
                r->p += 2;
                if (!hex4(r, &lo)) { r->error = "a bad \\u escape"; return NULL; }
                if (lo >= 0xDC00 && lo <= 0xDFFF) c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                else r->p = back; /* a lone high surrogate, then another escape */
            }
            /* a lone surrogate is no character: Java's encoders write '?' for it */
            if (c >= 0xD800 && c <= 0xDFFF) *o++ = '?';
            else put_utf8(&o, c);
            break;
        default: r->error = "a bad escape"; return NULL;
        }
    }
    if (r->p >= r->end) { r->error = "an unterminated string"; return NULL; }
    r->p++;
    *o = 0;
    if (len) *len = (size_t)(o - s);
    return s;
}

static jv *read_value(reader *r, int depth);

static jv *read_value(reader *r, int depth) {
    skip_ws(r);
    if (depth > 64) { r->error = "nesting too deep"; return NULL; }
    if (r->p >= r->end) { r->error = "unexpected end"; return NULL; }
    char c = *r->p;
    if (c == '"') {
        jv *v = new_jv(J_STR);
        if (!(v->str = read_string(r, &v->len))) return NULL;
        return v;
    }
    if (c == '{' || c == '[') {
        int obj = c == '{';
        jv *v = new_jv(obj ? J_OBJ : J_ARR), **tail = &v->first;
        r->p++;
        skip_ws(r);
        if (r->p < r->end && *r->p == (obj ? '}' : ']')) { r->p++; return v; }
        for (;;) {
            char *key = NULL;
            if (obj) {
                skip_ws(r);
                if (r->p >= r->end || *r->p != '"') { r->error = "expected a key"; return NULL; }
                if (!(key = read_string(r, NULL))) return NULL;
                skip_ws(r);
                if (r->p >= r->end || *r->p != ':') { r->error = "expected ':'"; return NULL; }
                r->p++;
            }
            jv *m = read_value(r, depth + 1);
            if (!m) return NULL;
            m->key = key;
            *tail = m;
            tail = &m->next;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') { r->p++; continue; }
            if (r->p < r->end && *r->p == (obj ? '}' : ']')) { r->p++; return v; }
            r->error = obj ? "expected ',' or '}'" : "expected ',' or ']'";
            return NULL;
        }
    }
    if (r->end - r->p >= 4 && !strncmp(r->p, "null", 4)) { r->p += 4; return new_jv(J_NULL); }
    if (r->end - r->p >= 4 && !strncmp(r->p, "true", 4)) { r->p += 4; return new_jv(J_TRUE); }
    if (r->end - r->p >= 5 && !strncmp(r->p, "false", 5)) { r->p += 5; return new_jv(J_FALSE); }
    if (c == '-' || (c >= '0' && c <= '9')) {
        const char *start = r->p;
        while (r->p < r->end && *r->p && strchr("+-0123456789.eE", *r->p)) r->p++;
        jv *v = new_jv(J_NUM);
        if (!(v->str = strndup(start, (size_t)(r->p - start)))) oom();
        return v;
    }
    r->error = "unexpected character";
    return NULL;
}

static jv *member(const jv *o, const char *key) {
    if (!o || o->type != J_OBJ) return NULL;
    for (jv *m = o->first; m; m = m->next) if (!strcmp(m->key, key)) return m;
    return NULL;
}

/* the reply this client cannot read: the Java client's words (Client.stream) */
static void unreadable(const char *key, const char *what) {
    err_line("lost the daemon: the daemon sent a reply this client cannot read: \"%s\" must be %s", key, what);
    exit(FAILURE);
}

/* a string member, or NULL when absent or null; another type is an unreadable reply */
static const char *string_of(const jv *o, const char *key) {
    jv *m = member(o, key);
    if (!m || m->type == J_NULL) return NULL;
    if (m->type != J_STR) unreadable(key, "a string");
    return m->str;
}

static int flag_of(const jv *o, const char *key) {
    jv *m = member(o, key);
    return m && m->type == J_TRUE;
}

static const jv *list_of(const jv *o, const char *key) {
    jv *m = member(o, key);
    if (!m || m->type == J_NULL) return NULL;
    if (m->type != J_ARR) unreadable(key, "a list");
    return m->first;
}

/* ---- the request --------------------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
} buf;

static void add(buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) oom();
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void adds(buf *b, const char *s) { add(b, s, strlen(s)); }

static void add_json_string(buf *b, const char *s) {
    adds(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; add(b, esc, 2); }
        else if (c < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", c); adds(b, esc); }
        else add(b, (const char *)&c, 1);
    }
    adds(b, "\"");
}

/* UnitNames.fromUser: a name without a unit type's suffix means NAME.service */
static char *unit_name(const char *arg) {
    static const char *suffixes[] = {".service", ".target", ".timer", ".path", ".socket"};
    size_t n = strlen(arg);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && !strcmp(arg + n - k, suffixes[i])) return strdup(arg);
    }
    char *s = malloc(n + sizeof ".service");
    if (!s) oom();
    memcpy(s, arg, n);
    memcpy(s + n, ".service", sizeof ".service");
    return s;
}

/* ---- the runtime directory (Locations.runtimeDir) ------------------------------------------- */

/* a path as java.nio's Path prints it: no repeated and no trailing '/' */
static char *normal(const char *p) {
    char *s = malloc(strlen(p) + 1), *o = s;
    if (!s) oom();
    for (; *p; p++) if (*p != '/' || o == s || o[-1] != '/') *o++ = *p;
    if (o - s > 1 && o[-1] == '/') o--;
    *o = 0;
    return s;
}

static char *runtime_dir(const char *given) {
    char *d;
    const char *e = getenv("SVCMGR_RUNTIME_DIR"), *x = getenv("XDG_RUNTIME_DIR");
    if (given) return normal(given);
    if (e && *e) return normal(e);
    if (geteuid() == 0) return strdup("/run/svcmgr");
    if (x && x[0] == '/') {
        if (asprintf(&d, "%s/svcmgr", x) < 0) exit(FAILURE);
        return normal(d);
    }
    if (asprintf(&d, "/tmp/svcmgr-%u", (unsigned)geteuid()) < 0) exit(FAILURE);
    return d;
}

/* ---- talking to the daemon ------------------------------------------------------------------ */

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void no_answer(void) {
    err_line("no answer from the daemon within %d s (it may be overloaded or stuck); try again, or allow longer with --timeout or SVCMGR_TIMEOUT",
             DEFAULT_TIMEOUT_MS / 1000);
    exit(FAILURE);
}

/* Sends the request line and returns the reply's first line, parsed; a limit of 0 waits for ever. */
static jv *call(const char *socket_path, buf *request, int limit_ms) {
    struct stat st;
    if (stat(socket_path, &st) != 0) {
        err_line("no svcmgr daemon is running (no control socket at %s); start one with 'svcmgr daemon' or name its --runtime-dir", socket_path);
        exit(FAILURE);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err_line("cannot reach the daemon at %s (%s)", socket_path, strerror(errno));
        exit(FAILURE);
    }
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, socket_path); /* the length was checked by main */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        err_line("no svcmgr daemon answers at %s (%s)", socket_path, strerror(errno));
        exit(FAILURE);
    }
    long long deadline = limit_ms ? now_ms() + limit_ms : 0;
    add(request, "\n", 1);
    for (size_t off = 0; off < request->n;) {
        ssize_t w = send(fd, request->s + off, request->n - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            err_line("lost the daemon: %s", strerror(errno));
            exit(FAILURE);
        }
        off += (size_t)w;
    }
    buf in = {0};
    char chunk[8192];
    for (;;) {
        char *nl = in.n ? memchr(in.s, '\n', in.n) : NULL;
        if (nl) {
            in.n = (size_t)(nl - in.s);
            break;
        }
        if (deadline) {
            long long left = deadline - now_ms();
            struct pollfd p = {.fd = fd, .events = POLLIN};
            if (left <= 0) no_answer();
            int k = poll(&p, 1, (int)left);
            if (k < 0 && errno == EINTR) continue;
            if (k == 0) no_answer();
        }
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            err_line("lost the daemon: %s", strerror(errno));
            exit(FAILURE);
        }
        if (r == 0) {
            if (in.n == 0) {
                err_line("lost the daemon: the daemon closed the connection without an answer");
                exit(FAILURE);
            }
            break;
        }
        add(&in, chunk, (size_t)r);
    }
    close(fd);
    reader rd = {in.s ? in.s : "", (in.s ? in.s : "") + in.n, NULL};
    jv *v = read_value(&rd, 0);
    if (v) skip_ws(&rd);
    if (!v || rd.p != rd.end || v->type != J_OBJ) {
        err_line("lost the daemon: the daemon sent a reply that is not JSON: %s", rd.error ? rd.error : "not one object");
        exit(FAILURE);
    }
    return v;
}

/* ExitCodes.of: not-found is 4, every other kind 1 */
static int code_of(const char *kind) { return kind && !strcmp(kind, "not-found") ? NO_SUCH_UNIT : FAILURE; }

/* Codec.reply: an error reply (ok not true and no jobs) is printed as ClientCommand.fail does */
static void fail_on_error(const jv *reply) {
    if (flag_of(reply, "ok") || member(reply, "jobs")) return;
    const char *message = string_of(reply, "error");
    err_line("%s", message ? message : "request failed");
    exit(code_of(string_of(reply, "error-kind")));
}

/* ---- the verbs ------------------------------------------------------------------------------- */

static int is_transaction(const char *verb) {
    return !strcmp(verb, "start") || !strcmp(verb, "stop") || !strcmp(verb, "restart") || !strcmp(verb, "try-restart")
        || !strcmp(verb, "reload") || !strcmp(verb, "isolate");
}

static int is_habit(const char *a) {
    return !strcmp(a, "-q") || !strcmp(a, "--quiet") || !strcmp(a, "--no-pager") || !strcmp(a, "-l") || !strcmp(a, "--full");
}

/* is-active and is-failed (UnitQuery); args: the units as given, for the message when none matched */
static int unit_query(const char *sock, buf *req, int failed, const char *args) {
    jv *reply = call(sock, req, DEFAULT_TIMEOUT_MS);
    fail_on_error(reply);
    const jv *u = list_of(reply, "units");
    if (!u) {
        err_line("no loaded unit matches %s", args);
        return NO_SUCH_UNIT;
    }
    int code = OK, missing = 0;
    for (; u; u = u->next) {
        if (u->type != J_OBJ) unreadable("units", "a list of objects");
        const char *name = string_of(u, "unit"), *load = string_of(u, "load"), *active = string_of(u, "active");
        if (!name) unreadable("unit", "a string");
        if (load && !strcmp(load, "not-found")) {
            missing = 1;
            err_line("unit %s could not be found", name);
        }
        out_line(active ? active : "");
        if (!(active && !strcmp(active, failed ? "failed" : "active"))) code = failed ? FAILURE : NOT_ACTIVE;
    }
    return missing ? NO_SUCH_UNIT : code;
}

static int system_state(const char *sock, buf *req) {
    jv *reply = call(sock, req, DEFAULT_TIMEOUT_MS);
    fail_on_error(reply);
    const char *state = string_of(reply, "state");
    out_line(state ? state : "null");
    return state && !strcmp(state, "running") ? OK : FAILURE;
}

/* TransactionCommand.run */
static int transaction(const char *sock, buf *req, const char *verb, int no_block) {
    jv *reply = call(sock, req, no_block ? DEFAULT_TIMEOUT_MS : 0);
    fail_on_error(reply);
    if (flag_of(reply, "queued")) return OK;
    for (const jv *n = list_of(reply, "ignored-failures"); n; n = n->next) {
        if (n->type != J_STR) unreadable("ignored-failures", "a list of strings");
        err_line("note: %s", n->str);
    }
    if (flag_of(reply, "ok")) return OK;
    int printed = 0;
    for (const jv *j = list_of(reply, "jobs"); j; j = j->next) {
        if (j->type != J_OBJ) unreadable("jobs", "a list of objects");
        const char *r = string_of(j, "result"), *detail = string_of(j, "detail");
        if (!r || !strcmp(r, "success") || !strcmp(r, "condition") || !strcmp(r, "canceled")) continue;
        const char *job = string_of(j, "job"), *unit = string_of(j, "unit");
        if (detail) err_line("%s %s failed: %s (%s)", job ? job : "null", unit ? unit : "null", r, detail);
        else err_line("%s %s failed: %s", job ? job : "null", unit ? unit : "null", r);
        printed = 1;
    }
    const char *canceled = string_of(reply, "canceled"), *error = string_of(reply, "error");
    if (canceled) err_line("canceled: %s", canceled);
    else if (!printed) {
        if (error) err_line("%s", error);
        else err_line("%s failed", verb);
    }
    return code_of(string_of(reply, "error-kind"));
}

/* ---- render: status, list-units, why, show, list-dependencies made by the daemon --------------------- */

static int is_rendered(const char *verb) {
    return !strcmp(verb, "status") || !strcmp(verb, "list-units") || !strcmp(verb, "why") || !strcmp(verb, "show")
        || !strcmp(verb, "list-dependencies");
}

static int set_nonempty(const char *name) {
    const char *v = getenv(name);
    return v && *v;
}

/*
 * How the JVM would write this text: in the locale's character set (setlocale, nl_langinfo(CODESET), as the JVM
 * decides file.encoding). UTF-8 as it is; in the C locale's ASCII every character outside it becomes one '?', as
 * Java's encoder replaces it. Returns 0 for another character set with text outside ASCII: the JVM's.
 */
static int encode(const char *codeset, const char *text, size_t len, buf *o) {
    if (!strcmp(codeset, "UTF-8")) {
        add(o, text, len);
        return 1;
    }
    int ascii_only = !strcmp(codeset, "ANSI_X3.4-1968");
    const unsigned char *c = (const unsigned char *)text, *end = c + len;
    while (c < end) {
        if (*c < 0x80) { add(o, (const char *)c++, 1); continue; }
        if (!ascii_only) return 0;
        /* one character: its lead byte and continuation bytes (read_string wrote valid UTF-8) */
        c++;
        while (c < end && (*c & 0xC0) == 0x80) c++;
        add(o, "?", 1);
    }
    return 1;
}

/* The daemon renders the command line with the client's own command classes (DaemonRendering); its pieces, in order. */
static int render(const char *sock, int argc, char **argv) {
    soft = 1;
    /* what the JVM would read from the environment, beyond what the request carries: its options, and picocli's colour hints */
    if (set_nonempty("SVCMGR_JAVA_OPTS") || set_nonempty("JAVA_TOOL_OPTIONS") || set_nonempty("JDK_JAVA_OPTIONS")
        || set_nonempty("_JAVA_OPTIONS") || getenv("CLICOLOR_FORCE") || getenv("CLICOLOR") || getenv("ConEmuANSI")) return NOT_MINE;
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET), *tz = getenv("TZ");
    /* Render.colour: a console (stdin and stdout terminals, as System.console()) and no NO_COLOR */
    int colour = isatty(0) && isatty(1) && !getenv("NO_COLOR");
    buf req = {0};
    adds(&req, "{\"v\":1,\"verb\":\"render\",\"argv\":[");
    for (int i = 1; i < argc; i++) {
        if (i > 1) adds(&req, ",");
        add_json_string(&req, argv[i]);
    }
    adds(&req, colour ? "],\"colour\":true" : "],\"colour\":false");
    if (tz) {
        adds(&req, ",\"tz\":");
        add_json_string(&req, tz);
    }
#ifdef SVCMGR_BUILD_ID
    /* the daemon renders only for a client of its own build: the output is its code's */
    adds(&req, ",\"build\":");
    add_json_string(&req, SVCMGR_BUILD_ID);
#endif
    adds(&req, "}");
    jv *reply = call(sock, &req, DEFAULT_TIMEOUT_MS);
    if (!flag_of(reply, "ok") || !flag_of(reply, "taken")) return NOT_MINE;
    jv *exit_code = member(reply, "exit");
    if (!exit_code || exit_code->type != J_NUM || strspn(exit_code->str, "0123456789") != strlen(exit_code->str)
        || strlen(exit_code->str) > 3) return NOT_MINE;
    int code = atoi(exit_code->str), pieces = 0;
    if (code > 124) return NOT_MINE; /* 125 and above are the launcher's and the shell's */
    for (const jv *p = list_of(reply, "output"); p; p = p->next) pieces++;
    /* every piece encoded first: nothing is printed unless all of it can be */
    buf *encoded = calloc((size_t)pieces + 1, sizeof *encoded);
    int *to_err = calloc((size_t)pieces + 1, sizeof *to_err), k = 0;
    if (!encoded || !to_err) return NOT_MINE;
    for (const jv *p = list_of(reply, "output"); p; p = p->next, k++) {
        if (p->type != J_OBJ) return NOT_MINE;
        const char *stream = string_of(p, "stream"), *text = string_of(p, "text");
        if (!stream || !text || !encode(codeset, text, member(p, "text")->len, &encoded[k])) return NOT_MINE;
        to_err[k] = !strcmp(stream, "err");
    }
    for (k = 0; k < pieces; k++) {
        FILE *f = to_err[k] ? stderr : stdout;
        if (encoded[k].n) fwrite(encoded[k].s, 1, encoded[k].n, f);
        fflush(f);
    }
    return code;
}

int main(int argc, char **argv) {
    if (argc < 2) return NOT_MINE;
    /* as the JVM: a reader that went away (svcmgr is-active a b | grep -q active) costs the output, not the exit code */
    signal(SIGPIPE, SIG_IGN);
    const char *verb = argv[1], *given = NULL, *t = getenv("SVCMGR_TIMEOUT");
    if (is_rendered(verb)) {
        if (t && t[strspn(t, " \t\n\r\f\v")]) return NOT_MINE; /* a timeout of the user's: the Java client reads it */
        const char *given_dir = NULL;
        for (int i = 2; i < argc; i++) {
            for (const unsigned char *c = (const unsigned char *)argv[i]; *c; c++) if (*c >= 0x80) return NOT_MINE;
            /* the first --runtime-dir names the daemon; the daemon's FastPath refuses any other shape */
            if (!given_dir && !strcmp(argv[i], "--runtime-dir") && i + 1 < argc && argv[i + 1][0]) given_dir = argv[i + 1];
            else if (!given_dir && !strncmp(argv[i], "--runtime-dir=", 14) && argv[i][14]) given_dir = argv[i] + 14;
        }
        char *dir = runtime_dir(given_dir), *sock;
        if (asprintf(&sock, "%s/control.sock", strcmp(dir, "/") ? dir : "") < 0) return NOT_MINE;
        if (strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) return NOT_MINE;
        return render(sock, argc, argv);
    }
    int transaction_verb = is_transaction(verb);
    int takes_units = transaction_verb || !strcmp(verb, "is-active") || !strcmp(verb, "is-failed");
    if (!takes_units && strcmp(verb, "is-system-running")) return NOT_MINE;
    if (t && t[strspn(t, " \t\n\r\f\v")]) return NOT_MINE; /* a timeout of the user's: the Java client reads it */
    int no_block = 0, units = 0;
    buf names = {0}, shown = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        for (const unsigned char *c = (const unsigned char *)a; *c; c++) if (*c >= 0x80) return NOT_MINE;
        if (is_habit(a)) {
            if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = 1;
        } else if (transaction_verb && !strcmp(a, "--no-block") && !no_block) {
            no_block = 1;
        } else if (!strcmp(a, "--runtime-dir") && i + 1 < argc && !given && argv[i + 1][0]) {
            given = argv[++i];
            for (const unsigned char *c = (const unsigned char *)given; *c; c++) if (*c >= 0x80) return NOT_MINE;
        } else if (!strncmp(a, "--runtime-dir=", 14) && !given && a[14]) {
            given = a + 14;
        } else if (takes_units && a[0] && a[0] != '-' && a[0] != '@' && !strpbrk(a, "*?[")) {
            char *n = unit_name(a);
            adds(&shown, units ? ", '" : "'");
            adds(&shown, a);
            adds(&shown, "'");
            adds(&names, units++ ? "," : "");
            add_json_string(&names, n);
        } else {
            return NOT_MINE;
        }
    }
    if (takes_units && !units) return NOT_MINE;
    if (units > 4096) return NOT_MINE; /* Request.MAX_NAMES: the Java client says so */
    char *dir = runtime_dir(given), *sock;
    if (asprintf(&sock, "%s/control.sock", strcmp(dir, "/") ? dir : "") < 0) return FAILURE;
    if (strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) return NOT_MINE;
    buf req = {0};
    adds(&req, "{\"v\":1,\"verb\":");
    add_json_string(&req, !takes_units ? "system" : transaction_verb ? verb : "units");
    if (!takes_units) {
        adds(&req, ",\"wait\":false}");
        return system_state(sock, &req);
    }
    adds(&req, ",\"units\":[");
    adds(&req, names.s);
    if (!transaction_verb) {
        adds(&req, "],\"all\":false}");
        return unit_query(sock, &req, !strcmp(verb, "is-failed"), shown.s);
    }
    adds(&req, no_block ? "],\"mode\":\"replace\",\"no-block\":true}" : "],\"mode\":\"replace\",\"no-block\":false}");
    return transaction(sock, &req, verb, no_block);
}
