package dev.svcmgr.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code svcmgr analyze blame|critical-chain|plot|calendar}. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"How long units took in a transition (boot, isolate, start, shutdown ...).",
                "Select the transition with --transition last (default), boot, or its number N.",
                "'analyze calendar' checks calendar events offline (no daemon needed)."},
        subcommands = {AnalyzeBlameCommand.class, AnalyzeCriticalChainCommand.class, AnalyzePlotCommand.class,
                AnalyzeCalendarCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no daemon runs, or no such transition", "2:usage error"})
public final class AnalyzeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
