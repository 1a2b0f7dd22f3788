package dev.jettison.cli.migrate;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "reintegrate", mixinStandardHelpOptions = true,
        description = "Tell a desktop daemon to bring its VM home; prints what moved and how long it took.")
public final class ReintegrateCommand implements Callable<Integer> {
    @Option(names = "--desktop", description = "the desktop daemon's control address (default 127.0.0.1:7700)")
    String desktop = "127.0.0.1:7700";

    @Option(names = "--token-file", description = "the desktop daemon's control token (default: the copy it keeps for its "
            + "control address under ~/.cache/jettison/control)")
    java.nio.file.Path tokenFile;

    @Override
    public Integer call() throws Exception {
        return ControlClient.post(desktop, "/reintegrate", tokenFile);
    }
}
