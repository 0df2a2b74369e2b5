package org.hamux.core;

import org.hamux.core.spec.Registry;

/**
 * A provider of component types for JSON specs, found with {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/org.hamux.core.HamuxPlugin} of your jar and its
 * types are available by name, exactly like the built-in ones.
 */
public interface HamuxPlugin {

    /** Adds this plugin's Lagrangians and synapses to {@code registry}. */
    void register(Registry registry);
}
