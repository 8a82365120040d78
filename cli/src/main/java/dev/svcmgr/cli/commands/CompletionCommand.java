package dev.svcmgr.cli.commands;

import dev.svcmgr.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code svcmgr completion bash|zsh}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for every svcmgr command and option (picocli's generator).",
                "bash: source <(svcmgr completion bash)",
                "zsh:  source <(svcmgr completion zsh)   (uses zsh's bashcompinit)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error (unknown shell)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("svcmgr: completion: expected bash or zsh, not '" + shell + "'");
            return 2;
        }
        String script = AutoComplete.bash("svcmgr", Main.commandLine());
        if (shell.equals("zsh")) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
