package org.hamux.cli;

import java.io.PrintWriter;

/**
 * One status line on a terminal, redrawn in place ({@code \r}) at most every {@value #REDRAW_MS} ms, and
 * cleared when done: what the progress bars of {@code run} and {@code train} draw on.
 */
final class TerminalLine {

    /** The shortest time between two redraws. */
    static final long REDRAW_MS = 100;

    private final PrintWriter out;
    private long lastDraw;
    private int lastLength;

    TerminalLine(PrintWriter out) {
        this.out = out;
    }

    /** Whether a redraw is due now ({@code last}: the final state, always drawn). */
    boolean due(boolean last) {
        return last || System.currentTimeMillis() - lastDraw >= REDRAW_MS;
    }

    /** Draws {@code line} over the previous one. */
    void show(String line) {
        lastDraw = System.currentTimeMillis();
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Clears the line. */
    void clear() {
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
