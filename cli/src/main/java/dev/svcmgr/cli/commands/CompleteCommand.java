package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.Completions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code svcmgr __complete SHELL -- WORD...}: the candidates for the last WORD, for the scripts of
 * {@code svcmgr completion} (hidden: people do not type it). See {@link Completions}.
 */
@Command(name = "__complete", hidden = true,
        description = "Print the completion candidates for the last WORD of a command line (used by the completion scripts).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error (unknown shell)"})
public final class CompleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish: how candidates are written")
    String shell;

    @Parameters(index = "1..*", paramLabel = "WORD", description = "The words after 'svcmgr', the last one being completed.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        if (Completions.script(shell) == null) {
            spec.commandLine().getErr().println("svcmgr: __complete: expected bash, zsh or fish, not '" + shell + "'");
            return 2;
        }
        Completions.Answer a = Completions.complete(words, Completions::unitNames);
        spec.commandLine().getOut().print(Completions.render(a, shell));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
