package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.Completions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code svcmgr completion bash|zsh|fish}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bash, zsh or fish. It completes commands, options, option values"
                + " and unit names: the names of the running daemon's units, or, when no daemon answers, of the unit files in"
                + " the unit directories (--units DIR on the line, else the defaults), templates included.",
                "Every candidate comes from the program (the hidden 'svcmgr __complete'), so new commands and options"
                        + " complete without a new script; each TAB starts svcmgr once (about 0.3 s).",
                "Load it for the current shell:",
                "  bash: source <(svcmgr completion bash)",
                "  zsh:  source <(svcmgr completion zsh)   (after compinit)",
                "  fish: svcmgr completion fish | source",
                "For every session, write it where the shell looks: bash-completion's completions/svcmgr, _svcmgr in a"
                        + " directory of zsh's $fpath, fish's completions/svcmgr.fish; install.sh does so below its prefix"
                        + " (docs/install.md)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error (unknown shell)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash, zsh or fish")
    String shell;

    /** The shells a script exists for (also their completion candidates). */
    static final class Shells extends java.util.ArrayList<String> {
        Shells() { super(java.util.List.of("bash", "zsh", "fish")); }
    }

    @Override
    public Integer call() {
        String script = Completions.script(shell);
        if (script == null) {
            spec.commandLine().getErr().println("svcmgr: completion: expected bash, zsh or fish, not '" + shell + "'");
            return 2;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
