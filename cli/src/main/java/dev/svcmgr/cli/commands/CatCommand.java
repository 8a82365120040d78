package dev.svcmgr.cli.commands;

import dev.svcmgr.core.json.Json;
import dev.svcmgr.cli.client.CommonOptions;
import dev.svcmgr.units.LoadState;
import dev.svcmgr.units.Unit;
import dev.svcmgr.units.UnitSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code svcmgr cat UNIT...}: the unit file and its drop-ins, each headed by
 * {@code # path}; with {@code --json} {@code [{"unit","files":[{"path","text"}]}]}
 * (one object when one unit is named). The files are those of {@code --units} when given,
 * else those of the running daemon's unit directories, else of the default directories.
 */
@Command(name = "cat", mixinStandardHelpOptions = true,
        description = "Print the unit file and its drop-ins, each headed by its path.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:a file could not be read", "2:usage error", "4:no such unit"})
public final class CatCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "UNIT", description = "Unit name (a bare name means a service).")
    List<String> names;

    @Option(names = "--units", paramLabel = "DIR", description = "Read these unit directories (repeatable) instead of the daemon's.")
    List<Path> units;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        boolean json = common.json;
        try {
            UnitSet set = OfflineUnits.view(units, common.runtimeDir(), List.of(), cmd).set();
            List<Unit> found = new ArrayList<>();
            for (String n : names) {
                Unit u = OfflineUnits.find(set, n);
                if (u == null) {
                    cmd.getErr().println("svcmgr: " + OfflineUnits.noSuchUnit(n));
                    cmd.getErr().flush();
                    return OfflineUnits.NO_SUCH_UNIT;
                }
                found.add(u);
            }
            List<Object> docs = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (Unit u : found) {
                List<String> paths = new ArrayList<>();
                if (u.fragmentPath() != null) paths.add(u.fragmentPath());
                paths.addAll(u.dropIns());
                List<Object> files = new ArrayList<>();
                if (text.length() > 0) text.append('\n');
                if (u.load() == LoadState.MASKED) text.append("# ").append(u.name()).append(" is masked (").append(u.fragmentPath()).append(" -> /dev/null)\n");
                boolean first = true;
                for (String p : paths) {
                    if (u.load() == LoadState.MASKED) break;
                    String body;
                    try {
                        body = readText(Path.of(p));
                    } catch (IOException e) {
                        cmd.getErr().println("cannot read " + p + ": " + e.getMessage());
                        cmd.getErr().flush();
                        return OfflineUnits.FAILURE;
                    }
                    if (!first) text.append('\n');
                    first = false;
                    text.append("# ").append(p).append('\n').append(body);
                    if (!body.isEmpty() && !body.endsWith("\n")) text.append('\n');
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("path", p);
                    f.put("text", body);
                    files.add(f);
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("unit", u.name());
                d.put("files", files);
                docs.add(d);
            }
            if (json) cmd.getOut().println(Json.write(docs.size() == 1 ? docs.get(0) : docs));
            else cmd.getOut().print(text);
            cmd.getOut().flush();
            return OfflineUnits.OK;
        } catch (RuntimeException e) {
            return OfflineUnits.crash(cmd, e, common.debug);
        }
    }

    private static String readText(Path p) throws IOException {
        if (Files.size(p) > UnitLoaderLimits.MAX_BYTES) throw new IOException("larger than 1 MiB");
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    /** The loader's file size limit, repeated here so cat never prints a huge file. */
    private static final class UnitLoaderLimits {
        static final long MAX_BYTES = 1024 * 1024;
    }
}
