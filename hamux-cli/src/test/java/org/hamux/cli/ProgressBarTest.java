package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void drawsTheFirstAndTheLastStepInPlaceSkipsWhatComesTooSoonAndClearsItsLine() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), 200);
        for (int step = 1; step <= 200; step++) {
            bar.onStep(step, new double[] {-1.5, -0.5}, Map.of(), 0.25);
        }
        String drawn = s.toString();
        // 200 steps within far less than 100 ms each: the first and the last are drawn, few or none between
        assertTrue(drawn.startsWith("\r1/200 [") && drawn.contains("E=-2.00000"), drawn);
        assertTrue(drawn.contains("\r200/200 [" + "#".repeat(30) + "] E=-2.00000 max|dx|=0.250"), drawn);
        long draws = drawn.chars().filter(c -> c == '\r').count();
        assertTrue(draws < 200, "every step was drawn: " + draws);
        int before = s.getBuffer().length();
        bar.clear();
        String cleared = s.toString().substring(before);
        assertEquals("\r" + " ".repeat(cleared.length() - 2) + "\r", cleared);
    }
}
