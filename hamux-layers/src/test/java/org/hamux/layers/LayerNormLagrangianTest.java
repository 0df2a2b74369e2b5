package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;
import org.junit.jupiter.api.Nested;
import org.nd4j.linalg.factory.Nd4j;

class LayerNormLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new LayerNormLagrangian(1.7, -0.3, 1e-3);
    }

    @Override
    protected long[] shape() {
        return new long[] {4, 5};
    }

    /** A vector delta of the last axis. */
    @Nested
    class VectorDelta extends LagrangianContract {
        @Override
        protected Lagrangian lagrangian() {
            return new LayerNormLagrangian(0.8, Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0.0f, 0.5f), 1e-5);
        }

        @Override
        protected long[] shape() {
            return new long[] {4, 5};
        }
    }
}
