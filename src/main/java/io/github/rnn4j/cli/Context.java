package io.github.rnn4j.cli;

import java.io.PrintWriter;

/**
 * What a command writes to and knows about its surroundings: standard output and error, and whether standard error
 * is a terminal (for the progress bar). Tests build one around byte buffers.
 */
final class Context {
    final PrintWriter out;
    final PrintWriter err;
    final boolean errIsTerminal;

    Context(PrintWriter out, PrintWriter err, boolean errIsTerminal) {
        this.out = out;
        this.err = err;
        this.errIsTerminal = errIsTerminal;
    }
}
