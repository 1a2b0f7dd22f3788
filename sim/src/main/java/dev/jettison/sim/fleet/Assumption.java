package dev.jettison.sim.fleet;

import dev.jettison.core.consolidation.WorkingSet;

/**
 * One modelling choice of the fleet simulator that the paper's §6 states, or leaves open, and that we
 * may choose differently. Each kind is an enum so an experiment can switch exactly one of them and
 * measure what it moves (issue 14: every difference explained by an experiment, not a sentence).
 */
public sealed interface Assumption permits Assumption.FullTransferSize, Assumption.FullAwayPower, Assumption.LinkSharing,
        Assumption.TransferPower, Assumption.LinkRate, Assumption.PartialSavings, Assumption.TimeOnServer {

    /** Short label for tables, e.g. "link sharing: one at a time". */
    String label();

    /** The name of the assumption this value belongs to, e.g. "link sharing". */
    String kind();

    /** What a full migration moves each way. */
    enum FullTransferSize implements Assumption {
        /** Exactly the VM's 4 GiB each way, no pre-copy rounds, no disk (§6). */
        EXACT_4_GIB(WorkingSet.VM_NOMINAL_MIB, "exactly 4 GiB"),
        /** The live migration measured in §2: 4.27 GiB on average, pre-copy rounds included. */
        MEASURED_4_27_GIB(4.27 * 1024, "4.27 GiB (measured, §2)");

        private final double mib;
        private final String label;

        FullTransferSize(double mib, String label) {
            this.mib = mib;
            this.label = label;
        }

        public double mib() {
            return mib;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "full migration size";
        }
    }

    /** What a desktop saves while its fully migrated VM is on the server. */
    enum FullAwayPower implements Assumption {
        /** 100 % of the desktop's idle power (§6, in full migration's favour). */
        ALL_IDLE_POWER("all idle power"),
        /** The desktop really sleeps: S3 power, and one suspend and one resume per stay (Table 1). */
        SLEEP_AND_TRANSITIONS("S3 + one suspend/resume");

        private final String label;

        FullAwayPower(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "full migration away power";
        }
    }

    /** How concurrent migrations share the office's link (§6 says only "takes into account network contention"). */
    enum LinkSharing implements Assumption {
        /** Every transfer in flight gets an equal share, as TCP flows do. */
        FAIR_SHARE("fair share"),
        /** Migrations queue and the link moves one at a time at full speed. */
        ONE_AT_A_TIME("one at a time (queue)"),
        /** One at a time, reintegrations ahead of queued consolidations: a user is waiting for those. */
        ONE_AT_A_TIME_RETURNS_FIRST("one at a time, returns first");

        private final String label;

        LinkSharing(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "link sharing";
        }
    }

    /** What a desktop draws while its VM's state is on the wire (§6: "energy use during migrations"). */
    enum TransferPower implements Assumption {
        /** Table 1's network power, 136.63 W, for as long as its transfer moves bytes. */
        NETWORK_POWER("network power (Table 1)"),
        /** Idle power: a migration costs only the sleep it delays. */
        IDLE_POWER("idle power");

        private final String label;

        TransferPower(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "power during transfers";
        }
    }

    /** The bit rate a link delivers. */
    enum LinkRate implements Assumption {
        /** The configured link speed, GigE by default (§6: "a shared GigE network"). */
        NOMINAL("nominal (1 Gbit/s)"),
        /** The effective desktop-server throughput measured in the deployment, 813.44 of 1,000 Mbit/s (§5.1). */
        MEASURED("813.44 Mbit/s effective (§5.1)");

        /** §5.1: "We measured the effective throughput between the desktops and servers to be 813.44 Mbps." */
        public static final double MEASURED_FRACTION = 813.44 / 1000;

        private final String label;

        LinkRate(String label) {
            this.label = label;
        }

        public double of(double nominalBitsPerSecond) {
            return this == NOMINAL ? nominalBitsPerSecond : nominalBitsPerSecond * MEASURED_FRACTION;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "link rate";
        }
    }

    /** Which Figure 7 scales a partial consolidation's time on the server into energy saved (§6). */
    enum PartialSavings implements Assumption {
        /** The values the paper reports for its deployment (§5.2). */
        PAPER_FIGURE_7("paper's Figure 7 (§5.2)"),
        /** The curve our microsleep policy gives on our generated fault traces. */
        OUR_FIGURE_7("our Figure 7 (generated traces)");

        private final String label;

        PartialSavings(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "partial savings curve";
        }
    }

    /** When a stay on the server ends, for the energy it saves. */
    enum TimeOnServer implements Assumption {
        /**
         * §6 literally: savings accrue "when the VM executes on the server", and it does until the
         * reintegration's last byte arrives, however long the user waits for it.
         */
        UNTIL_REINTEGRATED("until the VM is back"),
        /** The desktop is powered from the moment the user is back: it must receive the VM. */
        UNTIL_USER_RETURNS("until the user is back");

        private final String label;

        TimeOnServer(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String kind() {
            return "time on the server";
        }
    }
}
