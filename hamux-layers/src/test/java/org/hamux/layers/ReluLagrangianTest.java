package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class ReluLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new ReluLagrangian();
    }
}
