package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class TanhLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new TanhLagrangian(1.7);
    }
}
