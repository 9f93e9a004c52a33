package io.github.rnn4j.cli;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Puts {@code predict}, {@code verify} and {@code bench} on the vector backend when the JVM can provide it.
 *
 * <p>The library picks its backend once per JVM: the vector one when the module {@code jdk.incubator.vector} is in
 * the boot layer, which only the JVM option {@code --add-modules jdk.incubator.vector} does. When it is absent, the
 * runtime image holds it (every JDK 17+ does) and {@code --backend} is not {@code plain}, the command restarts
 * itself: the same {@code java} binary ({@link ProcessHandle.Info#command()}), the same JVM options and class path,
 * plus {@code --add-modules jdk.incubator.vector -Drnn4j.backend=vector -Drnn4j.cli.restarted=true}, then the
 * class {@link Main} and the same arguments; standard input, output and error are inherited and its exit status is
 * the command's. The restarted JVM never restarts again ({@code rnn4j.cli.restarted}). When the restart cannot be
 * made, the command runs here on the plain backend and says why on standard error, unless {@code --backend vector}
 * asked for the vector one: that is a usage error.
 */
final class Backends {
    static final String MODULE = "jdk.incubator.vector";
    /** The system property that marks a restarted JVM, so that it never restarts again. */
    static final String RESTARTED = "rnn4j.cli.restarted";

    private Backends() {
    }

    /** Runs a command line in a new process with inherited I/O and returns its exit status. */
    interface Launcher {
        int run(List<String> command) throws IOException, InterruptedException;

        /** The real one: {@link ProcessBuilder#inheritIO()}; the child is destroyed if this JVM is stopped. */
        static Launcher process() {
            return command -> {
                Process p = new ProcessBuilder(command).inheritIO().start();
                Thread stop = new Thread(p::destroy, "rnn4j-stop-restarted");
                Runtime.getRuntime().addShutdownHook(stop);
                try {
                    return p.waitFor();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(stop);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway
                    }
                }
            };
        }
    }

    /**
     * What this JVM offers for a restart.
     *
     * @param moduleLoaded whether {@code jdk.incubator.vector} is in the boot layer
     * @param moduleInRuntime whether the runtime image holds it, so that {@code --add-modules} can load it
     * @param restarted whether this JVM is already a restart
     * @param java the path of the {@code java} binary, when known
     * @param jvmOptions the options this JVM was started with, to pass on
     * @param classPath the class path
     * @param args the command's arguments
     * @param launcher how to start a process; {@code null} in-process (tests, callers of {@code Main.run}), where the
     *        command never restarts
     */
    record Jvm(boolean moduleLoaded, boolean moduleInRuntime, boolean restarted, Optional<String> java,
               List<String> jvmOptions, String classPath, List<String> args, Launcher launcher) {

        /** This JVM, with {@code args} and {@code launcher}. */
        static Jvm current(String[] args, Launcher launcher) {
            boolean loaded = ModuleLayer.boot().findModule(MODULE).isPresent();
            boolean inRuntime = ModuleFinder.ofSystem().find(MODULE).isPresent();
            return new Jvm(loaded, inRuntime, Boolean.getBoolean(RESTARTED),
                    ProcessHandle.current().info().command(), Backends.jvmOptions(),
                    System.getProperty("java.class.path", ""), List.of(args), launcher);
        }
    }

    /**
     * Chooses the backend for {@code --backend wanted} and sets {@code rnn4j.backend} before any model computes.
     *
     * @return the exit status of the restarted JVM when the command ran there; empty when it runs in this JVM
     * @throws UsageException when {@code wanted} is {@code vector} and the JVM cannot provide it
     */
    static OptionalInt select(RunOptions.BackendOption wanted, Context context) {
        Jvm jvm = context.jvm;
        if (wanted == RunOptions.BackendOption.plain) {
            choose(jvm, "plain");
            return OptionalInt.empty();
        }
        if (jvm.moduleLoaded()) {
            if (wanted == RunOptions.BackendOption.vector) {
                choose(jvm, "vector");
            }
            return OptionalInt.empty();
        }
        String reason;
        if (jvm.restarted()) {
            reason = "the restarted JVM still lacks the module " + MODULE;
        } else if (!jvm.moduleInRuntime()) {
            reason = "this Java runtime (" + System.getProperty("java.home") + ") has no module " + MODULE;
        } else if (jvm.launcher() == null) {
            reason = "the command runs in-process, where it cannot restart the JVM";
        } else if (jvm.java().isEmpty()) {
            reason = "the path of this JVM's java binary is unknown";
        } else if (jvm.classPath().isEmpty()) {
            reason = "the class path is empty (rnn4j runs from the module path); start java with --add-modules "
                    + MODULE;
        } else {
            List<String> command = command(jvm);
            context.out.flush();
            context.err.flush();
            try {
                return OptionalInt.of(jvm.launcher().run(command));
            } catch (IOException e) {
                reason = "restarting the JVM with --add-modules " + MODULE + " failed: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("interrupted while the restarted JVM ran");
            }
        }
        if (wanted == RunOptions.BackendOption.vector) {
            throw new UsageException("--backend vector needs the JVM module " + MODULE + ", and " + reason
                    + "; use --backend plain, or a JDK 17+ started with --add-modules " + MODULE);
        }
        choose(jvm, "plain");
        if (jvm.launcher() != null) {
            context.err.println("rnn4j: running on the plain backend: " + reason);
        }
        return OptionalInt.empty();
    }

    /**
     * Sets {@code rnn4j.backend}, which the library reads once, the first time a model computes; only when the
     * command owns the JVM (run from {@code main}): in-process, the JVM's backend is its caller's, and a command
     * whose {@code --backend} differs fails ({@link RunOptions#describe()}).
     */
    private static void choose(Jvm jvm, String backend) {
        if (jvm.launcher() != null) {
            System.setProperty("rnn4j.backend", backend);
        }
    }

    /** The command line of the restart: same binary, options, class path and arguments, plus the module. */
    static List<String> command(Jvm jvm) {
        List<String> command = new ArrayList<>();
        command.add(jvm.java().orElseThrow());
        command.addAll(jvm.jvmOptions());
        command.addAll(List.of("--add-modules", MODULE, "-Drnn4j.backend=vector", "-D" + RESTARTED + "=true",
                "-cp", jvm.classPath(), Main.class.getName()));
        command.addAll(jvm.args());
        return command;
    }

    /**
     * The options this JVM was started with, to pass on: all but those of {@code JAVA_TOOL_OPTIONS} and
     * {@code JDK_JAVA_OPTIONS} (the restarted JVM reads the same environment), a debugger agent (its port is taken)
     * and {@code -Drnn4j.backend} (the restart sets its own).
     */
    static List<String> jvmOptions() {
        List<String> all;
        try {
            all = ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (LinkageError | SecurityException e) {
            return List.of();
        }
        return passOn(all, System.getenv("JAVA_TOOL_OPTIONS"), System.getenv("JDK_JAVA_OPTIONS"));
    }

    static List<String> passOn(List<String> options, String... environment) {
        Set<String> fromEnvironment = new HashSet<>();
        for (String e : environment) {
            if (e != null && !e.isBlank()) {
                fromEnvironment.addAll(Arrays.asList(e.strip().split("\\s+")));
            }
        }
        List<String> kept = new ArrayList<>();
        for (String o : options) {
            if (fromEnvironment.contains(o) || o.startsWith("-agentlib:jdwp") || o.startsWith("-Xrunjdwp")
                    || o.startsWith("-Drnn4j.backend=") || o.startsWith("-D" + RESTARTED + "=")) {
                continue;
            }
            kept.add(o);
        }
        return kept;
    }
}
