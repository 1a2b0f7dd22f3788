package dev.jettison.cli.keys;

import dev.jettison.migration.tls.SiteCa;
import dev.jettison.migration.wire.Role;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jettison keys}: the site CA that every desktop and server of an office trusts
 * (docs/security.md). The CA's folder holds its key; each issued host gets a folder of its own
 * to copy to that host and name with {@code --tls-dir}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Site CA, host keys and certificates, revocation for mutual TLS (docs/security.md).",
        subcommands = {KeysCommand.Init.class, KeysCommand.Issue.class, KeysCommand.ListHosts.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
    static final String DEFAULT_SITE = Path.of(System.getProperty("user.home"), ".config", "jettison", "site").toString();

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name one of: init, issue, list, revoke");
    }

    /** The site folder option every subcommand shares. */
    static final class Site {
        @Option(names = "--site", description = "the site CA's folder (default ~/.config/jettison/site)")
        Path dir = Path.of(DEFAULT_SITE);
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create the site CA (key, certificate, empty revocation list).")
    static final class Init implements Callable<Integer> {
        @picocli.CommandLine.Mixin Site site = new Site();

        @Option(names = "--name", description = "the site's name in the CA certificate (default office)")
        String name = "office";

        @Override
        public Integer call() throws Exception {
            var ca = SiteCa.init(site.dir, name);
            System.out.println("site CA created in " + ca.dir() + " (keep " + SiteCa.CA_KEY + " there, 0600)");
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a host its key and certificate, into SITE/hosts/NAME: copy that folder to the host and start its "
                    + "daemon with --tls-dir.")
    static final class Issue implements Callable<Integer> {
        @picocli.CommandLine.Mixin Site site = new Site();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        static final class Who {
            @Option(names = "--desktop", description = "a desktop of this name (with its VMs: --vm)", required = true)
            String desktop;

            @Option(names = "--server", description = "a consolidation server of this name", required = true)
            String server;
        }

        @Option(names = "--vm", description = "a VM id this desktop owns: it may consolidate, serve and take home only these "
                + "(repeatable; default: the desktop's name)")
        List<String> vms = new ArrayList<>();

        @Option(names = "--days", description = "validity in days (default 397)")
        int days = (int) SiteCa.HOST_VALIDITY.toDays();

        @Override
        public Integer call() throws Exception {
            var ca = SiteCa.load(site.dir);
            var now = java.time.Instant.now();
            var until = now.plus(java.time.Duration.ofDays(days));
            Path host;
            if (who.desktop != null) {
                var ids = vms.isEmpty() ? List.of(who.desktop) : vms;
                host = ca.issue(Role.DESKTOP, who.desktop, ids, now.minusSeconds(300), until);
                System.out.println("desktop " + who.desktop + " (VMs " + String.join(", ", ids) + ") issued into " + host);
            } else {
                if (!vms.isEmpty()) throw new IllegalArgumentException("a server's certificate lists no VMs: drop --vm");
                host = ca.issue(Role.SERVER, who.server, List.of(), now.minusSeconds(300), until);
                System.out.println("server " + who.server + " issued into " + host);
            }
            System.out.println("copy that folder to the host (it holds the host's private key) and pass --tls-dir to its daemon");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List issued host certificates.")
    static final class ListHosts implements Callable<Integer> {
        @picocli.CommandLine.Mixin Site site = new Site();

        @Override
        public Integer call() throws Exception {
            var all = SiteCa.load(site.dir).list();
            System.out.printf("%-20s %-8s %-34s %-22s %s%n", "name", "role", "serial", "not after", "status / VMs");
            for (var i : all) {
                System.out.printf("%-20s %-8s %-34s %-22s %s%s%n", i.name(), i.role().name().toLowerCase(), i.serial(),
                        i.notAfter().toString(), i.revoked() ? "REVOKED" : i.notAfter().isBefore(java.time.Instant.now()) ? "EXPIRED" : "valid",
                        i.vmIds().isEmpty() ? "" : " " + String.join(",", new java.util.TreeSet<>(i.vmIds())));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a host's certificate: re-signs SITE/crl.pem and refreshes each host folder's copy; daemons "
                    + "reload it at their next handshake (copy it to hosts elsewhere).")
    static final class Revoke implements Callable<Integer> {
        @picocli.CommandLine.Mixin Site site = new Site();

        @Parameters(paramLabel = "NAME", description = "the host whose certificate is revoked")
        String name;

        @Override
        public Integer call() throws Exception {
            String serial = SiteCa.load(site.dir).revoke(name);
            System.out.println("revoked " + name + " (certificate " + serial + "); the new list is " + site.dir.resolve(SiteCa.CRL));
            return 0;
        }
    }
}
