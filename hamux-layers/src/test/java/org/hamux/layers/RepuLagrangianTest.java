package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;
import org.junit.jupiter.api.Nested;

class RepuLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new RepuLagrangian(3);
    }

    /** A real degree between 1 and 2, whose activation has an infinite slope at 0. */
    @Nested
    class RealDegree extends LagrangianContract {
        @Override
        protected Lagrangian lagrangian() {
            return new RepuLagrangian(1.5);
        }
    }
}
