package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.CommonOptions;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.Problem;
import dev.svcmgr.units.Severity;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitNames;
import dev.svcmgr.units.UnitSet;
import dev.svcmgr.units.load.UnitLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code svcmgr edit UNIT [--full]}: the user edits a copy in a temporary file; it is checked with
 * the loader (the unit, its other drop-ins and the edit, alone in a scratch directory) and installed
 * only without errors, atomically, in the first unit directory; then the daemon reads its units again.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"Edit a unit: opens $VISUAL (else $EDITOR, else vi) on a drop-in UNIT.d/override.yaml (with --full,"
                + " on a copy of the whole unit file) in the first unit directory, prefilled with what is there now. The edit"
                + " is checked as the daemon would load it: with errors it is not installed (the errors are printed and the"
                + " edit is kept in a temporary file named in the message); else it is installed and the daemon reads its"
                + " units again (daemon-reload). An edit that changes nothing installs nothing.",
                "The unit directories are the daemon's (or --units DIR, offline: then no daemon-reload)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:installed (and the daemon reloaded), or nothing changed", "1:the edit has errors (not installed),"
                + " the editor failed, a file could not be written, or no daemon runs", "2:usage error", "4:no such unit"})
public final class EditCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "UNIT", description = "The unit (a bare name means NAME.service; an instance like getty@tty1 gets its own drop-in).")
    String unit;

    @Option(names = {"-l", "--full"}, description = "Edit a copy of the whole unit file, installed in the first unit directory (where it overrides the others).")
    boolean full;

    @Option(names = "--units", paramLabel = "DIR", description = "Edit in these unit directories (repeatable) instead of the daemon's; no daemon-reload follows.")
    List<Path> units;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            return edit(out, err);
        } catch (IOException e) {
            err.println("svcmgr: edit: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (NoDaemon e) {
            err.println("svcmgr: " + e.getMessage() + " (or name the unit directories with --units DIR)");
            return ExitCodes.FAILURE;
        } catch (DaemonError e) {
            err.println("svcmgr: " + e.error().message());
            return ExitCodes.of(e.error().kind());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int edit(PrintWriter out, PrintWriter err) throws IOException, NoDaemon, DaemonError, InterruptedException {
        String name = UnitNames.fromUser(unit);
        String bad = UnitNames.problem(name);
        if (bad != null) {
            err.println("svcmgr: " + bad);
            return ExitCodes.USAGE;
        }
        boolean offline = units != null && !units.isEmpty();
        Client client = offline ? null : new Client(common.runtimeDir());
        List<Path> dirs = offline ? OfflineUnits.dirs(units, spec.commandLine()) : daemonDirs(client);
        if (dirs.isEmpty()) {
            err.println("svcmgr: edit: no unit directory to write to");
            return ExitCodes.FAILURE;
        }
        UnitSet set = UnitLoader.load(dirs);
        Unit u = set.lookup(name);
        if (u == null || u.fragmentPath() == null) {
            err.println("svcmgr: " + OfflineUnits.noSuchUnit(name));
            return ExitCodes.NO_SUCH_UNIT;
        }
        name = u.name();
        Path fragment = Path.of(u.fragmentPath());
        Path target = full ? dirs.get(0).resolve(name + ".yaml") : dirs.get(0).resolve(name + ".d").resolve("override.yaml");
        String before = Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
        String initial = before != null ? before : full ? Files.readString(fragment, StandardCharsets.UTF_8) : header(name, fragment);
        Path scratch = Files.createTempFile("svcmgr-edit-" + name + "-", ".yaml");
        Files.writeString(scratch, initial, StandardCharsets.UTF_8);
        int status = runEditor(scratch);
        if (status != 0) {
            err.println("svcmgr: edit: the editor exited with status " + status + "; nothing installed (the edit is kept in " + scratch + ")");
            return ExitCodes.FAILURE;
        }
        String edited = Files.readString(scratch, StandardCharsets.UTF_8);
        if (edited.equals(initial) || (!full && before == null && blank(edited))) {
            Files.deleteIfExists(scratch);
            out.println("Nothing changed; nothing installed.");
            return ExitCodes.OK;
        }
        List<Problem> errors = check(name, u, fragment, edited, scratch);
        if (!errors.isEmpty()) {
            for (Problem p : errors) err.println(p.format());
            err.println("svcmgr: edit: " + target + " not installed: the edit has errors; it is kept in " + scratch);
            return ExitCodes.FAILURE;
        }
        install(target, edited);
        Files.deleteIfExists(scratch);
        out.println("Installed " + target + ".");
        if (client != null) {
            Reply.Reloaded r = client.call(new Request.DaemonReload());
            for (String p : r.problems()) err.println(p);
            out.println("The daemon read its units again; " + name + " takes the change at its next start (restart it to apply it now).");
        }
        return ExitCodes.OK;
    }

    private static List<Path> daemonDirs(Client client) throws NoDaemon, IOException, DaemonError {
        List<Path> out = new ArrayList<>();
        for (String d : client.call(new Request.State()).dirs()) out.add(Path.of(d));
        return out;
    }

    /** What a new drop-in starts as: how drop-ins merge, and the unit file as comments to copy from. */
    private static String header(String name, Path fragment) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Drop-in for ").append(name).append(": keys written here are merged over ").append(fragment).append('\n');
        b.append("# (scalars replace, lists append, an explicit empty list like `after: []` resets the list first).\n");
        b.append("# Lines starting with # are ignored; an edit left without keys installs nothing.\n#\n");
        for (String line : Files.readAllLines(fragment, StandardCharsets.UTF_8)) b.append("# ").append(line).append('\n');
        return b.toString();
    }

    private static boolean blank(String yaml) {
        return yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    }

    /** $VISUAL, else $EDITOR, else vi, through the shell (so that {@code EDITOR="code --wait"} works), on the terminal. */
    private static int runEditor(Path file) throws IOException, InterruptedException {
        String editor = System.getenv("VISUAL");
        if (editor == null || editor.isBlank()) editor = System.getenv("EDITOR");
        if (editor == null || editor.isBlank()) editor = "vi";
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", editor + " \"$1\"", "svcmgr-edit", file.toString()).inheritIO();
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new IOException("cannot run the editor '" + editor + "': " + e.getMessage(), e);
        }
    }

    /**
     * The errors the loader finds in the unit with the edit in place: the unit file, its other drop-ins
     * and the edit, copied alone into a scratch directory (locations of the edit name {@code scratch}).
     */
    private List<Problem> check(String name, Unit u, Path fragment, String edited, Path scratch) throws IOException {
        Path dir = Files.createTempDirectory("svcmgr-edit-check-");
        try {
            String fragmentName = fragment.getFileName().toString();
            Files.writeString(dir.resolve(fragmentName), full ? edited : Files.readString(fragment, StandardCharsets.UTF_8));
            if (!full) {
                Path d = Files.createDirectories(dir.resolve(name + ".d"));
                for (String dropIn : u.dropIns()) {
                    Path p = Path.of(dropIn);
                    if (p.getFileName().toString().equals("override.yaml") && p.getParent().getFileName().toString().equals(name + ".d")) continue;
                    Files.copy(p, d.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.writeString(d.resolve("override.yaml"), edited);
            }
            UnitSet set = UnitLoader.load(List.of(dir));
            List<Problem> out = new ArrayList<>();
            Unit checked = set.lookup(name);
            List<Problem> all = new ArrayList<>(set.problems());
            if (checked != null) for (Problem p : checked.problems()) if (!all.contains(p)) all.add(p);
            String edit = (full ? dir.resolve(fragmentName) : dir.resolve(name + ".d").resolve("override.yaml")).toString();
            for (Problem p : all) {
                if (p.severity() != Severity.ERROR) continue;
                String file = p.file() == null ? null : p.file().equals(edit) ? scratch.toString()
                        : p.file().startsWith(dir.toString()) ? p.file().replace(dir.toString(), "<unit dir>") : p.file();
                out.add(new Problem(p.severity(), p.unit(), file, p.line(), p.column(), p.key(), p.message(), p.kind()));
            }
            return out;
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Writes {@code text} to {@code target} atomically (a file beside it, mode 0644, renamed over it; never through a symlink). */
    private static void install(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        dev.svcmgr.core.os.SecureFiles.writeAtomically(target, text.getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"), true);
    }
}
