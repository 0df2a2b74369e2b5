package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class SigmoidLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new SigmoidLagrangian(1.7, 2.5);
    }
}
