package org.alemcds.worklist;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on standard error, redrawn at most a few times a second; silent when the output is not a
 * terminal (a job log or a pipe), where a final summary is enough.
 */
final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream terminal;
    private final AtomicLong lastDraw = new AtomicLong();
    private volatile String phase = "";
    private volatile long total;
    private final AtomicLong done = new AtomicLong();

    private Progress(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** A progress bar when this process writes to a terminal, else one that draws nothing. */
    static Progress onTerminal(PrintStream err) {
        return new Progress(System.console() != null ? err : null);
    }

    /** A progress bar drawn on the given stream whatever it is (tests). */
    static Progress drawnOn(PrintStream stream) {
        return new Progress(stream);
    }

    static Progress silent() {
        return new Progress(null);
    }

    void start(String phase, long total) {
        this.phase = phase;
        this.total = total;
        this.done.set(0);
        draw(true);
    }

    void set(long value) {
        done.set(value);
        draw(false);
    }

    void advance(long by) {
        done.addAndGet(by);
        draw(false);
    }

    void finish() {
        if (terminal != null) {
            draw(true);
            terminal.print("\n");
            terminal.flush();
        }
    }

    private void draw(boolean force) {
        if (terminal == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastDraw.get();
        if (!force && (now - last < REDRAW_NANOS || !lastDraw.compareAndSet(last, now))) {
            return;
        }
        long value = done.get();
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) value / total);
        int filled = (int) Math.round(fraction * WIDTH);
        String line = String.format("\r%-26s [%s%s] %3d%% %,d/%,d ", phase, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(fraction * 100), value, total);
        synchronized (terminal) {
            terminal.print(line);
            terminal.flush();
        }
    }
}
