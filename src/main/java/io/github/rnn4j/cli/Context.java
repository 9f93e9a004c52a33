package io.github.rnn4j.cli;

import java.io.PrintWriter;

/**
 * What a command writes to and knows about its surroundings: standard output and error, whether standard error
 * is a terminal (for the progress bar), and the JVM it runs in (for a restart on the vector backend). Tests build
 * one around byte buffers.
 */
final class Context {
    final PrintWriter out;
    final PrintWriter err;
    final boolean errIsTerminal;
    final Backends.Jvm jvm;

    /** In-process: the command never restarts the JVM. */
    Context(PrintWriter out, PrintWriter err, boolean errIsTerminal) {
        this(out, err, errIsTerminal, Backends.Jvm.current(new String[0], null));
    }

    Context(PrintWriter out, PrintWriter err, boolean errIsTerminal, Backends.Jvm jvm) {
        this.out = out;
        this.err = err;
        this.errIsTerminal = errIsTerminal;
        this.jvm = jvm;
    }
}
