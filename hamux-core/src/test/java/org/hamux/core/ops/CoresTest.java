package org.hamux.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CoresTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7, 1000})
    void everyIndexRunsExactlyOnce(int n) {
        for (int repeat = 0; repeat < 200; repeat++) {                  // posted pieces taken or taken back
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            Cores.forEach(n, seen::incrementAndGet);
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
    void piecesAreSplitBetweenTheCoresInContiguousRanges() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        int[] owner = new int[1000];
        Cores.forEach(owner.length, i -> {
            threads.add(Thread.currentThread().getName());
            owner[i] = Thread.currentThread().getName().hashCode();
        });
        int changes = 0;
        for (int i = 1; i < owner.length; i++) {
            changes += owner[i] != owner[i - 1] ? 1 : 0;
        }
        assertEquals(threads.size() - 1, changes, "one contiguous range per thread: " + threads);
    }

    @Test
    void aFailureInAnyPieceReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int at : new int[] {0, 999}) {                            // the caller's piece, the last helper's piece
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cores.forEach(1000, i -> {
                if (i == at) {
                    throw boom;
                }
            }));
            assertSame(boom, e);
        }
        AtomicIntegerArray seen = new AtomicIntegerArray(10);              // and the next split works
        Cores.forEach(10, seen::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, seen.get(i));
        }
    }

    @Test
    void nestedAndConcurrentSplitsRunEveryIndex() throws Exception {
        int outer = 8;
        int inner = 50;
        AtomicIntegerArray seen = new AtomicIntegerArray(outer * inner);
        Cores.forEach(outer, o -> Cores.forEach(inner, i -> seen.incrementAndGet(o * inner + i)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Set<Future<?>> done = new HashSet<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int r = 0; r < 100; r++) {
                        Cores.forEach(outer * inner, seen::incrementAndGet);
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
