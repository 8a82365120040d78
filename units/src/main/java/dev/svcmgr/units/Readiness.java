package dev.svcmgr.units;

import java.util.List;

/**
 * How a service says it is ready. Exactly one kind; {@link Kind#STARTED} is the
 * default for simple/exec (started = ready).
 */
public record Readiness(Kind kind, int fd, String host, int port, String url, List<String> command, String path) {
    public enum Kind { STARTED, NOTIFY, FD, TCP, HTTP, EXEC, PATH }

    public static final Readiness STARTED = new Readiness(Kind.STARTED, -1, null, 0, null, List.of(), null);

    public static Readiness notifyReady() { return new Readiness(Kind.NOTIFY, -1, null, 0, null, List.of(), null); }
    public static Readiness fd(int fd) { return new Readiness(Kind.FD, fd, null, 0, null, List.of(), null); }
    public static Readiness tcp(String host, int port) { return new Readiness(Kind.TCP, -1, host, port, null, List.of(), null); }
    public static Readiness http(String url) { return new Readiness(Kind.HTTP, -1, null, 0, url, List.of(), null); }
    public static Readiness exec(List<String> argv) { return new Readiness(Kind.EXEC, -1, null, 0, null, List.copyOf(argv), null); }
    public static Readiness path(String p) { return new Readiness(Kind.PATH, -1, null, 0, null, List.of(), p); }

    /** Unit-file form, e.g. {@code tcp: 127.0.0.1:6379}. */
    public String describe() {
        return switch (kind) {
            case STARTED -> "started";
            case NOTIFY -> "notify";
            case FD -> "fd: " + fd;
            case TCP -> "tcp: " + host + ":" + port;
            case HTTP -> "http: " + url;
            case EXEC -> "exec: " + command;
            case PATH -> "path: " + path;
        };
    }
}
