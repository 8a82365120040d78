package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.client.Client;
import dev.svcmgr.cli.client.ExitCodes;
import dev.svcmgr.cli.client.NoDaemon;
import dev.svcmgr.core.protocol.Transition;
import picocli.CommandLine.Command;

import java.io.IOException;

/** {@code svcmgr analyze plot > chart.svg}. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Write an SVG chart of the transition to stdout: one bar per unit, light while its job waited for"
                + " the jobs it is ordered after, amber while it was starting (or stopping), green once active until the"
                + " transition ended; failed jobs red. Each bar has its job's duration written after it, and a legend says what"
                + " each colour means.",
                "Example: svcmgr analyze plot --transition boot > boot.svg"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:no daemon runs, or no such transition", "2:usage error"})
public final class AnalyzePlotCommand extends AnalyzeBase {

    @Override
    protected int run(Client client) throws NoDaemon, IOException {
        Transition t = transition(client);
        if (t == null) return ExitCodes.FAILURE;
        out().print(dev.svcmgr.core.render.BootChart.svg(t));
        out().flush();
        return ExitCodes.OK;
    }
}
