package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.testing.LagrangianContract;

class IdentityLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new IdentityLagrangian();
    }
}
