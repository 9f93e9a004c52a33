package io.github.rnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * The {@code rnn4j} command line: {@code java -jar rnn4j-cli.jar COMMAND ...}.
 *
 * <p>Commands: {@code hello} (the demo of the README), {@code inspect}, {@code predict}, {@code verify},
 * {@code generate} and {@code bench}. Exit status 0 on success, 1 when {@code verify} finds a difference beyond the
 * tolerance, 2 on a usage error (a bad argument, a missing or unreadable file, an input that does not fit the model).
 * Errors are one line on standard error; {@code --debug} adds the stack trace. Uses only the public API.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs Keras recurrent networks in plain Java, exactly as Keras computes them.",
        subcommands = {HelloCommand.class, InspectCommand.class, PredictCommand.class, VerifyCommand.class,
            GenerateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 1 verify found a difference beyond the tolerance, 2 usage error.",
            "Run 'rnn4j COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {
    /** Exit status of a usage error: a bad argument, a missing or unreadable file, an input the model refuses. */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean debug;

    Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = run(args, new Context(out, err, stderrIsTerminal(),
                Backends.Jvm.current(args, Backends.Launcher.process())));
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command line in-process, writing to {@code out} and {@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int status = run(args, new Context(o, e, false));
        o.flush();
        e.flush();
        return status;
    }

    static int run(String[] args, Context context) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main(), new Factory(context));
        cli.setOut(context.out);
        cli.setErr(context.err);
        cli.setParameterExceptionHandler((ParameterException ex, String[] a) -> {
            CommandLine bad = ex.getCommandLine();
            String name = bad.getCommandSpec().qualifiedName();
            context.err.println(name + ": " + oneLine(ex.getMessage()));
            if (debug) {
                ex.printStackTrace(context.err);
            }
            context.err.println("Try '" + name + " --help' for more information.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((Exception ex, CommandLine bad, CommandLine.ParseResult parsed) -> {
            String name = bad.getCommandSpec().qualifiedName();
            context.err.println(name + ": " + describe(ex));
            if (debug) {
                ex.printStackTrace(context.err);
            }
            return USAGE;
        });
        return cli.execute(args);
    }

    /** Without a command: the usage on standard error, status 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The one-line message of an error, with what kind of error it is when the message alone does not say. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            ex = ex.getCause();
        }
        if (ex instanceof NoSuchFileException) {
            return "file not found: " + ex.getMessage();
        }
        if (ex instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + ex.getMessage();
        }
        if (ex instanceof java.nio.file.FileSystemException) {
            return ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        String message = ex.getMessage() == null ? "" : oneLine(ex.getMessage());
        if (ex instanceof UsageException || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException || ex instanceof IOException) {
            return message.isEmpty() ? ex.getClass().getSimpleName() : message;
        }
        return "internal error: " + ex.getClass().getName() + (message.isEmpty() ? "" : ": " + message)
                + " (run with --debug for the stack trace)";
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Whether standard error is a terminal: its file descriptor links to a tty on Linux; else the console. */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }

    /** {@code --version}: the version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnn4j " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /** Builds commands that take the {@link Context}. */
    private static final class Factory implements CommandLine.IFactory {
        private final Context context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Context context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Context.class);
                return c.newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }
}
