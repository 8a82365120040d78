package dev.svcmgr.cli.commands;

import dev.svcmgr.units.load.UnitLoader;
import dev.svcmgr.units.systemd.Importer;
import dev.svcmgr.units.systemd.Specifiers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code svcmgr import FILE... [--output DIR] [--dry-run] [--force]}: converts systemd unit files
 * and drop-ins to unit YAML ({@link Importer}); each setting that does not carry over is a warning
 * {@code file:line: Key= not supported: ...} on stderr, the file as given on the command line.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert systemd unit files (.service, .target, .socket, .timer, .path) and drop-ins (NAME.d/*.conf,"
                + " or a NAME.d directory) to svcmgr unit YAML: NAME.yaml, and NAME.d/*.yaml beside it for drop-ins.",
                "systemd's rules are followed: repeated keys append, an empty assignment resets, \\ continues a line, quoting"
                        + " and C escapes in command lines, the -@:+! prefixes, %% specifiers.",
                "Every setting that cannot be carried over is printed on stderr as 'FILE:LINE: Key= not supported: <what to use"
                        + " instead>'. Run 'svcmgr verify' on the result; see docs/migrating-from-systemd.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file converted (warnings allowed)", "1:a file could not be read or parsed, or an output exists"
                + " (without --force) or cannot be written", "2:usage error"})
public final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "A systemd unit file, a drop-in NAME.d/*.conf, or a NAME.d directory.")
    List<String> files;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Write the units here (default: the first unit directory: /etc/svcmgr/units as root, else"
                    + " ~/.config/svcmgr/units).")
    Path output;

    @Option(names = {"-n", "--dry-run"}, description = "Print what would be written, each file headed by '# PATH'; write nothing.")
    boolean dryRun;

    @Option(names = {"-f", "--force"}, description = "Overwrite files that exist.")
    boolean force;

    @Option(names = "--debug", description = "Show stack traces of internal errors.")
    boolean debug;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut(), err = cmd.getErr();
        try {
            Path dir = output != null ? output : UnitLoader.defaultDirs().get(0);
            if (Files.exists(dir) && !Files.isDirectory(dir))
                throw new CommandLine.ParameterException(cmd, "--output " + dir + ": not a directory");
            Importer.Outcome o = Importer.run(files, dir, new Specifiers.Host(dev.svcmgr.core.os.SecureFiles.processUid() == 0, System.getenv()));
            for (String w : o.warnings()) err.println(w);
            for (String e : o.errors()) err.println("svcmgr import: " + e);
            int code = o.errors().isEmpty() ? OfflineUnits.OK : OfflineUnits.FAILURE;
            if (dryRun) {
                boolean first = true;
                for (Importer.Output f : o.outputs()) {
                    if (!first) out.println();
                    first = false;
                    out.print("# " + f.path() + "\n" + f.text());
                }
            } else {
                List<Importer.Output> writable = new ArrayList<>();
                for (Importer.Output f : o.outputs()) {
                    if (Files.exists(f.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
                        err.println("svcmgr import: " + f.path() + " exists; not overwritten (use --force to replace it)");
                        code = OfflineUnits.FAILURE;
                    } else {
                        writable.add(f);
                    }
                }
                for (Importer.Output f : writable) {
                    try {
                        Files.createDirectories(f.path().getParent());
                        Files.writeString(f.path(), f.text());
                        out.println("wrote " + f.path());
                    } catch (IOException e) {
                        err.println("svcmgr import: cannot write " + f.path() + ": " + e.getMessage());
                        code = OfflineUnits.FAILURE;
                    }
                }
            }
            out.flush();
            err.flush();
            return code;
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, debug);
        }
    }
}
