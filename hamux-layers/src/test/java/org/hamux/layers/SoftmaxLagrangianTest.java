package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;
import org.junit.jupiter.api.Nested;

class SoftmaxLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new SoftmaxLagrangian(1.7, 0);
    }

    @Override
    protected long[] shape() {
        return new long[] {4, 5};
    }

    /** The default axis (the last) on the same shape. */
    @Nested
    class LastAxis extends LagrangianContract {
        @Override
        protected Lagrangian lagrangian() {
            return new SoftmaxLagrangian(0.6, -1);
        }

        @Override
        protected long[] shape() {
            return new long[] {4, 5};
        }
    }
}
