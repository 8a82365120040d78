package dev.svcmgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The svcmgr command line; the only place that calls {@code System.exit}. */
@Command(name = "svcmgr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A dependency-graph service manager.",
        subcommands = {CommandLine.HelpCommand.class,
                dev.svcmgr.cli.commands.VerifyCommand.class, dev.svcmgr.cli.commands.CatCommand.class,
                dev.svcmgr.cli.commands.ShowCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"svcmgr " + (v == null ? "0.1.0" : v)};
        }
    }
}
