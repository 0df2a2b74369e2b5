package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class GhostmaxLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new GhostmaxLagrangian(-2);
    }

    @Override
    protected long[] shape() {
        return new long[] {4, 5};
    }
}
