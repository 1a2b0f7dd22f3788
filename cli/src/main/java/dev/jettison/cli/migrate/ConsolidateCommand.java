package dev.jettison.cli.migrate;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "consolidate", mixinStandardHelpOptions = true,
        description = "Tell a desktop daemon to move its VM to a consolidation server now.")
public final class ConsolidateCommand implements Callable<Integer> {
    @Option(names = "--desktop", description = "the desktop daemon's control address (default 127.0.0.1:7700)")
    String desktop = "127.0.0.1:7700";

    @Option(names = "--server", description = "the consolidation server (default 127.0.0.1:7800)")
    String server = "127.0.0.1:7800";

    @Option(names = "--token-file", description = "the desktop daemon's control token (default: the copy it keeps for its "
            + "control address under ~/.cache/jettison/control)")
    java.nio.file.Path tokenFile;

    @Override
    public Integer call() throws Exception {
        Endpoints.parse(server);
        return ControlClient.post(desktop, "/consolidate?server=" + server, tokenFile);
    }
}
