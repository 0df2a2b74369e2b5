package org.hamux.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void writesTextPrintedLinesTablesAndFiguresInOrder(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("figs/grid.png");
        Files.createDirectories(png.getParent());
        Files.write(png, new byte[] {1});
        Report r = new Report("Capacity")
                .text("Random patterns.")
                .println("K = %d", 12)
                .println("done")
                .table(List.of("K", "stable"), List.of(List.of(10, 0.5), List.of(100, 12.0), List.of(1000, 1e-5)))
                .figure(png, "stable bits against K");
        Path page = r.write(dir.resolve("capacity.md"));
        String md = Files.readString(page);
        assertEquals("""
                # Capacity

                Random patterns.

                ```
                K = 12
                done
                ```

                | K | stable |
                |---|---|
                | 10 | 0.5 |
                | 100 | 12 |
                | 1000 | 1.00e-05 |

                ![stable bits against K](figs/grid.png)

                *stable bits against K*
                """, md);
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");
    }
}
