package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ClientCommand;
import dev.svcmgr.cli.client.DaemonError;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.cli.client.Render;
import dev.svcmgr.core.protocol.Reply;
import dev.svcmgr.core.protocol.Request;
import dev.svcmgr.units.UnitNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code svcmgr list-unit-files [PATTERN...] [--state S]}: UNIT FILE STATE, as systemctl prints them. */
@Command(name = "list-unit-files", mixinStandardHelpOptions = true,
        description = {"List every unit found in the daemon's unit directories (templates by their file's name, not their"
                + " instances; not transient units) with its state: enabled (its install section is in force), disabled,"
                + " static (no install section) or masked.",
                "With --json: [{\"unit\",\"state\",\"path\"}]."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs", "2:usage error"})
public final class ListUnitFilesCommand extends ClientCommand {
    @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "Only units matching these glob patterns (e.g. 'worker@*').")
    List<String> patterns = new ArrayList<>();

    @Option(names = "--state", paramLabel = "S", split = ",", description = "Only units in state S: enabled, disabled, static or masked (comma-separated or repeated).")
    List<String> states = new ArrayList<>();

    @Option(names = {"-t", "--type"}, paramLabel = "T", description = "Only units of type T (service, target, socket, timer, path).")
    String type;

    @Option(names = "--no-legend", description = "Print no header and no count line.")
    boolean noLegend;

    @Option(names = "--plain", hidden = true, description = "Accepted for systemctl habits; changes nothing.")
    boolean plain;

    private static final Set<String> STATES = Set.of("enabled", "disabled", "static", "masked");

    @Override
    protected int run(Client client) throws NoDaemon, IOException, DaemonError {
        for (String s : states) {
            if (!STATES.contains(s)) {
                err().println("svcmgr: --state: unknown state '" + s + "' (expected enabled, disabled, static or masked)");
                return ExitCodes.USAGE;
            }
        }
        Reply.UnitFiles reply = client.call(new Request.UnitFiles());
        List<Object> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Reply.UnitFiles.UnitFile f : reply.files()) {
            if (!states.isEmpty() && !states.contains(f.state())) continue;
            if (type != null && !f.unit().endsWith("." + type)) continue;
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> UnitNames.matches(UnitNames.fromUser(p), f.unit()))) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", f.unit());
            m.put("state", f.state());
            m.put("path", f.path());
            json.add(m);
            rows.add(List.of(f.unit(), f.state()));
        }
        if (common.json) {
            printJson(json);
            return ExitCodes.OK;
        }
        out().print(Render.table(List.of("UNIT FILE", "STATE"), rows, !noLegend));
        if (!noLegend) {
            out().println();
            out().println(rows.size() + " unit files listed.");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
