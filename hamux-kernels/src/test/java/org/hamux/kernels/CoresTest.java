package org.hamux.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CoresTest {

    private static final int COUNT = Runtime.getRuntime().availableProcessors();
    private static final Cores CORES = new Cores(COUNT);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7, 1000})
    void everyIndexRunsExactlyOnce(int n) {
        for (int repeat = 0; repeat < 200; repeat++) {                  // posted pieces taken or taken back
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            CORES.forEach(n, seen::incrementAndGet);
            int[] want = new int[n];
            Arrays.fill(want, 1);
            int[] got = new int[n];
            for (int i = 0; i < n; i++) {
                got[i] = seen.get(i);
            }
            assertArrayEquals(want, got, "n = " + n + ", repeat " + repeat);
        }
    }

    @Test
    void eachPieceIsAContiguousRangeRunByOneThread() {
        String[] owner = new String[1000];
        CORES.forEach(owner.length, i -> owner[i] = Thread.currentThread().getName());
        int pieces = Math.min(owner.length, CORES.pieces());
        for (int p = 0; p < pieces; p++) {
            int from = owner.length * p / pieces;
            int to = owner.length * (p + 1) / pieces;
            for (int i = from + 1; i < to; i++) {
                assertEquals(owner[from], owner[i], "piece " + p + " [" + from + ", " + to + ") at " + i);
            }
        }
    }

    @Test
    void aSlowCoreTakesFewerPieces() {
        assumeTrue(COUNT > 1, "one core: nothing to share");
        Thread caller = Thread.currentThread();
        AtomicInteger byCaller = new AtomicInteger();
        CORES.forEach(CORES.pieces(), i -> {                              // one index a piece
            if (Thread.currentThread() == caller) {
                byCaller.incrementAndGet();
                sleep(50);                                              // the caller's core is slow
            }
        });
        assertTrue(byCaller.get() < CORES.pieces() / COUNT,
                "the caller ran " + byCaller.get() + " of " + CORES.pieces() + " pieces; its even share is "
                        + CORES.pieces() / COUNT);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailureInAnyPieceReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int at : new int[] {0, 999}) {                            // the first piece, the last
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CORES.forEach(1000, i -> {
                if (i == at) {
                    throw boom;
                }
            }));
            assertSame(boom, e);
        }
        AtomicIntegerArray seen = new AtomicIntegerArray(10);              // and the next split works
        CORES.forEach(10, seen::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, seen.get(i));
        }
    }

    @Test
    void nestedAndConcurrentSplitsRunEveryIndex() throws Exception {
        int outer = 8;
        int inner = 50;
        AtomicIntegerArray seen = new AtomicIntegerArray(outer * inner);
        CORES.forEach(outer, o -> CORES.forEach(inner, i -> seen.incrementAndGet(o * inner + i)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Set<Future<?>> done = new HashSet<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int r = 0; r < 100; r++) {
                        CORES.forEach(outer * inner, seen::incrementAndGet);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < outer * inner; i++) {
            assertEquals(1 + 4 * 100, seen.get(i), "index " + i);
        }
    }
}
