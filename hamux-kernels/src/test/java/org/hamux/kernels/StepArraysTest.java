package org.hamux.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hamux.core.ops.Loop;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StepArraysTest {

    /** The arrays one step asks for: {@code [2, 3]}, {@code [4]} and a second {@code [2, 3]}. */
    private static List<INDArray> oneStep(StepArrays arrays) {
        try (Loop.Step s = arrays.step()) {
            return List.of(StepArrays.uninitialized(DataType.FLOAT, 2, 3), StepArrays.uninitialized(DataType.FLOAT, 4),
                    StepArrays.uninitialized(DataType.FLOAT, 2, 3));
        }
    }

    @Test
    void theNextStepGetsTheSameArraysInTheSameOrder() {
        StepArrays arrays = new StepArrays();
        List<INDArray> first = oneStep(arrays);
        List<INDArray> second = oneStep(arrays);
        for (int i = 0; i < first.size(); i++) {
            assertSame(first.get(i), second.get(i), "array " + i);
        }
        assertNotSame(first.get(0), first.get(2), "two arrays of one shape in one step are two arrays");
        assertArrayEquals(new long[] {4}, second.get(1).shape());
        assertEquals(DataType.FLOAT, second.get(1).dataType());
    }

    @Test
    void anArrayOfAnotherShapeOrTypeTakesThePlaceAndTheRestFollow() {
        StepArrays arrays = new StepArrays();
        List<INDArray> first = oneStep(arrays);
        INDArray changed;
        INDArray retyped;
        INDArray after;
        try (Loop.Step s = arrays.step()) {
            changed = StepArrays.uninitialized(DataType.FLOAT, 3, 2);
            retyped = StepArrays.uninitialized(DataType.DOUBLE, 4);
            after = StepArrays.uninitialized(DataType.FLOAT, 2, 3);
        }
        assertArrayEquals(new long[] {3, 2}, changed.shape());
        assertEquals(DataType.DOUBLE, retyped.dataType());
        assertSame(first.get(2), after, "the third array still matches its place");
        assertTrue(first.get(0).wasClosed(), "the array that lost its place is freed");
        List<INDArray> third = oneStep(arrays);
        assertArrayEquals(new long[] {2, 3}, third.get(0).shape());
    }

    @Test
    void outsideAStepEveryArrayIsNew() {
        INDArray a = StepArrays.uninitialized(DataType.FLOAT, 5);
        INDArray b = StepArrays.uninitialized(DataType.FLOAT, 5);
        assertNotSame(a, b);
        StepArrays arrays = new StepArrays();
        oneStep(arrays);
        assertNotSame(oneStep(arrays).get(0), StepArrays.uninitialized(DataType.FLOAT, 2, 3), "a closed step hands out nothing");
    }

    @Test
    void theArraysOutliveTheStepsWorkspace() {
        StepArrays arrays = new StepArrays();
        INDArray kept;
        try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace("step-arrays-test");
             Loop.Step s = arrays.step()) {
            kept = StepArrays.uninitialized(DataType.FLOAT, 3);
            kept.assign(7);
        }
        assertTrue(!kept.isAttached(), "made outside the workspace");
        try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace("step-arrays-test")) {
            Nd4j.create(DataType.FLOAT, 3).assign(-1);                  // the workspace's memory, written again
        }
        assertEquals(21.0, kept.sumNumber().doubleValue(), 0.0);
    }

    /** {@code shown} reshaped to {@code [6]} in two steps, {@code source} set to 1 and then to 2 before each. */
    private static List<INDArray> reshapedInTwoSteps(INDArray source, INDArray shown) {
        StepArrays arrays = new StepArrays();
        List<INDArray> reshaped = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            try (Loop.Step s = arrays.step()) {
                source.assign(step + 1);
                reshaped.add(StepArrays.reshape(shown, 6));
            }
        }
        return reshaped;
    }

    @Test
    void aReshapedViewIsKeptAndFollowsItsArray() {
        INDArray source = Nd4j.create(DataType.FLOAT, 2, 3);
        List<INDArray> views = reshapedInTwoSteps(source, source);
        assertSame(views.get(0), views.get(1));
        assertEquals(12.0, views.get(1).sumNumber().doubleValue(), 0.0, "the view sees the array's new numbers");
    }

    @Test
    void aReshapedCopyIsMadeAnewEachStep() {
        INDArray source = Nd4j.create(DataType.FLOAT, 3, 2);
        // [2, 3], strided: reshaping it copies
        List<INDArray> copies = reshapedInTwoSteps(source, source.transpose());
        assertNotSame(copies.get(0), copies.get(1));
        assertEquals(6.0, copies.get(0).sumNumber().doubleValue(), 0.0);
        assertEquals(12.0, copies.get(1).sumNumber().doubleValue(), 0.0, "not the first step's copy");
    }

    @Test
    void aSliceIsKeptForTheSameArrayAndRangeOnly() {
        StepArrays arrays = new StepArrays();
        INDArray source = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4);
        INDArray other = source.dup();
        INDArray[][] got = new INDArray[2][];
        for (int step = 0; step < 2; step++) {
            try (Loop.Step s = arrays.step()) {
                INDArray a = StepArrays.slice(source, 1, 1, 3);
                INDArray b = StepArrays.slice(step == 0 ? source : other, 0, 0, 2);
                INDArray c = StepArrays.slice(source, 1, step == 0 ? 0 : 2, step == 0 ? 2 : 4);
                got[step] = new INDArray[] {a, b, c};
            }
        }
        assertSame(got[0][0], got[1][0]);
        assertNotSame(got[0][1], got[1][1], "another array");
        assertNotSame(got[0][2], got[1][2], "another range");
        assertEquals(Nd4j.create(new float[][] {{2, 3}, {6, 7}, {10, 11}}), got[1][2]);
        assertEquals(Nd4j.create(new float[][] {{1, 2}, {5, 6}, {9, 10}}), got[1][0]);
    }

    @Test
    void releasedArraysAreMadeAgainAndNotWhileAStepRuns() {
        StepArrays arrays = new StepArrays();
        try (Loop.Step s = arrays.step()) {
            assertThrows(IllegalStateException.class, arrays::release);
        }
        List<INDArray> before = oneStep(arrays);
        assertTrue(arrays.bytes() > 0);
        arrays.release();
        assertTrue(before.get(0).wasClosed(), "released");
        assertEquals(0, arrays.bytes());
        assertNotSame(before.get(0), oneStep(arrays).get(0));
    }

    @Test
    void stepsNestAndRestoreTheOuterStep() {
        StepArrays outer = new StepArrays();
        StepArrays inner = new StepArrays();
        List<INDArray> first = oneStep(outer);
        try (Loop.Step s = outer.step()) {
            INDArray a = StepArrays.uninitialized(DataType.FLOAT, 2, 3);
            oneStep(inner);
            INDArray b = StepArrays.uninitialized(DataType.FLOAT, 4);
            assertSame(first.get(0), a);
            assertSame(first.get(1), b, "the outer step goes on where it was");
        }
    }
}
