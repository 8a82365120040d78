package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.core.protocol.UnitInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code svcmgr top}: a terminal view of every unit (state, CPU, memory, restarts), redrawn on every
 * state change the daemon reports (its event stream) and every {@code --interval} for the CPU and
 * memory figures; {@code q} quits. On a terminal it switches it to single keys and back.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"A terminal view of every unit: its state, CPU use (share of one CPU since the last redraw), memory"
                + " and restarts, failed units first; redrawn on every state change (the daemon's event stream) and every"
                + " --interval. q (or Ctrl-C) quits. For a server without a browser (daemon --http serves the same as a page).",
                "With -n N it prints N frames, one per interval, and ends (for scripts and logs)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:quit", "1:no daemon runs, or it went away", "2:usage error"})
public final class TopCommand extends ClientCommand {
    @Option(names = {"-d", "--interval"}, paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between redraws without events (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "Print N frames and end.")
    Integer iterations;

    @Option(names = "--all", description = "Also list inactive units (by default: every unit that is not inactive).")
    boolean all;

    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean quit = new AtomicBoolean();
    private final Map<String, long[]> lastCpu = new HashMap<>();

    @Override
    protected int run(Client client) throws NoDaemon, IOException, InterruptedException, DaemonError {
        if (interval < 0.1 || interval > 3600) {
            err().println("svcmgr: --interval must be between 0.1 and 3600 seconds");
            return ExitCodes.USAGE;
        }
        client.call(new Request.Ping()); // no daemon: one line, exit 1, before the terminal is touched
        boolean batch = iterations != null;
        Terminal term = null;
        if (!batch) {
            try {
                term = Terminal.open();
            } catch (IOException e) {
                err().println("svcmgr: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
        Thread events = follow(client);
        Thread keys = term == null ? null : keys(term);
        PrintWriter out = out();
        try {
            int frames = 0;
            long next = 0;
            while (!quit.get()) {
                long now = System.nanoTime();
                if (dirty.getAndSet(false) || now - next >= 0) {
                    String frame = frame(client, term == null ? 200 : term.columns(), term == null ? 10_000 : term.rows());
                    out.print(term == null ? frame + "\n" : "\u001b[H\u001b[2J" + frame);
                    out.flush();
                    next = now + (long) (interval * 1e9);
                    if (batch && ++frames >= iterations) break;
                }
                synchronized (dirty) {
                    if (!dirty.get() && !quit.get()) dirty.wait(Math.max(1, Math.min(100, (next - System.nanoTime()) / 1_000_000)));
                }
            }
        } finally {
            quit.set(true);
            events.interrupt();
            if (keys != null) keys.interrupt();
            if (term != null) {
                out.print("\u001b[H\u001b[2J");
                out.flush();
                term.restore();
            }
        }
        return ExitCodes.OK;
    }

    /** Marks the view dirty on every event; the daemon going away ends top. */
    private Thread follow(Client client) {
        Thread t = new Thread(() -> {
            try {
                client.stream(new Request.Events(null, true), r -> {
                    if (r instanceof Reply.EventLine) wake();
                    return !quit.get();
                });
            } catch (NoDaemon | IOException e) {
                if (!quit.get()) {
                    err().println("svcmgr: lost the daemon: " + e.getMessage());
                    quit.set(true);
                    wake();
                }
            }
        }, "top-events");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void wake() {
        synchronized (dirty) {
            dirty.set(true);
            dirty.notifyAll();
        }
    }

    private Thread keys(Terminal term) {
        Thread t = new Thread(() -> {
            try {
                int c;
                while ((c = term.in().read()) >= 0) {
                    if (c == 'q' || c == 'Q' || c == 3) break;
                    if (c == ' ' || c == 'r') wake();
                }
            } catch (IOException ignored) {
                // the terminal went away
            }
            quit.set(true);
            wake();
        }, "top-keys");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One screen: a header and a row per unit, cut to the terminal's size. */
    String frame(Client client, int columns, int rows) throws NoDaemon, IOException, DaemonError {
        Reply.SystemState system = client.call(new Request.SystemState(false));
        List<String> names = new ArrayList<>();
        for (UnitInfo u : client.call(new Request.Units(List.of(), all)).units()) names.add(u.unit());
        List<UnitInfo> units = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 1000) {
            for (UnitInfo u : client.call(new Request.Units(names.subList(i, Math.min(names.size(), i + 1000)), false)).units()) {
                if (!u.isNotFound()) units.add(u);
            }
        }
        units.sort((a, b) -> {
            int fa = "failed".equals(a.active()) ? 0 : 1, fb = "failed".equals(b.active()) ? 0 : 1;
            return fa != fb ? Integer.compare(fa, fb) : a.unit().compareTo(b.unit());
        });
        long now = System.nanoTime();
        StringBuilder b = new StringBuilder();
        b.append(cut("svcmgr top - system " + system.state() + ", " + units.size() + " units, " + system.failed().size() + " failed, "
                + system.jobs() + " jobs - q quits", columns)).append('\n');
        b.append(cut(String.format(Locale.ROOT, "%-40s %-9s %-13s %6s %9s %8s", "UNIT", "ACTIVE", "SUB", "CPU%", "MEMORY", "RESTARTS"), columns)).append('\n');
        int shown = 0;
        for (UnitInfo u : units) {
            if (shown >= rows - 3) {
                b.append(cut("... " + (units.size() - shown) + " more", columns)).append('\n');
                break;
            }
            UnitInfo.Processes p = u.details() == null ? null : u.details().processes();
            String cpu = "";
            if (p != null && p.cpuNanos() != null) {
                long[] before = lastCpu.put(u.unit(), new long[] {p.cpuNanos(), now});
                if (before != null && now > before[1]) cpu = String.format(Locale.ROOT, "%.1f", 100.0 * Math.max(0, p.cpuNanos() - before[0]) / (now - before[1]));
            }
            // the daemon's own rendering of the figure (status's Memory:), without its "(RSS of its processes)" note
            String mem = p == null || p.memory() == null ? "" : p.memory().split(" ", 2)[0];
            Object restarts = u.details() != null && u.details().supervision() != null ? u.details().supervision().restarts() : "";
            b.append(cut(String.format(Locale.ROOT, "%-40s %-9s %-13s %6s %9s %8s", u.unit(), u.active(), u.sub(), cpu, mem, restarts), columns))
                    .append('\n');
            shown++;
        }
        return b.toString();
    }

    private static String cut(String s, int columns) { return s.length() <= columns ? s : s.substring(0, Math.max(0, columns)); }

    /** The controlling terminal in single-key mode (stty), restored on {@link #restore}. */
    static final class Terminal {
        private final String saved;
        private final InputStream in;

        private Terminal(String saved, InputStream in) {
            this.saved = saved;
            this.in = in;
        }

        static Terminal open() throws IOException {
            Path tty = Path.of("/dev/tty");
            if (System.console() == null || !Files.isReadable(tty)) {
                throw new IOException("top needs a terminal (or -n N to print N frames)");
            }
            String saved = stty("-g").strip();
            stty("-icanon", "-echo", "min", "1");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stty(saved);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }));
            return new Terminal(saved, Files.newInputStream(tty));
        }

        InputStream in() { return in; }

        int columns() { return size()[1]; }

        int rows() { return size()[0]; }

        private int[] size() {
            try {
                String[] rc = stty("size").strip().split(" ");
                return new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])};
            } catch (IOException | RuntimeException e) {
                return new int[] {24, 80};
            }
        }

        void restore() {
            try {
                stty(saved);
            } catch (IOException ignored) {
                // the terminal went away
            }
        }

        private static String stty(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("stty", "-F", "/dev/tty"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            try {
                if (p.waitFor() != 0) throw new IOException("stty " + String.join(" ", args) + ": " + out.strip());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return out;
        }
    }
}
