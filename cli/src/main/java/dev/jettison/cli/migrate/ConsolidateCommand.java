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

    @Override
    public Integer call() throws Exception {
        Endpoints.parse(server);
        return ControlClient.post(desktop, "/consolidate?server=" + server);
    }
}
