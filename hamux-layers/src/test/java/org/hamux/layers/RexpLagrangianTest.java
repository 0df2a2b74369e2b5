package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class RexpLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new RexpLagrangian(1.7);
    }
}
