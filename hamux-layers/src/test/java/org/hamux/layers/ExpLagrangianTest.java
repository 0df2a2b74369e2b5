package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class ExpLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new ExpLagrangian(1.7);
    }
}
