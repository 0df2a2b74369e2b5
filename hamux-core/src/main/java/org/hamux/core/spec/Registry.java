package org.hamux.core.spec;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.hamux.core.Component;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.HamuxPlugin;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;

/**
 * The component types a JSON spec can name, and the top-level sections modules add to it: a stable name per type,
 * filled by the {@link HamuxPlugin}s on the class path (the layer, synapse and training modules, and a user's own jar).
 * User JSON never reaches a class it did not register.
 */
public final class Registry {

    /**
     * Reads a top-level section of a spec that a module adds (e.g. {@code "training"}), once the graph and the dynamics
     * are read; errors are thrown as {@link SpecException}s located with {@code node}.
     */
    @FunctionalInterface
    public interface Section<S> {
        S read(SpecNode node, EnergyGraph graph, Dynamics dynamics);
    }

    private static volatile Registry standard;

    private final Map<String, ComponentType<? extends Lagrangian>> lagrangians = new TreeMap<>();
    private final Map<String, ComponentType<? extends Hypersynapse>> synapses = new TreeMap<>();
    private final Map<String, Section<?>> sections = new TreeMap<>();

    /** An empty registry. */
    public Registry() {
    }

    /** The registry filled by every {@link HamuxPlugin} found with {@link ServiceLoader} (loaded once). */
    public static Registry standard() {
        Registry r = standard;
        if (r == null) {
            synchronized (Registry.class) {
                if (standard == null) {
                    Registry fresh = new Registry();
                    ServiceLoader.load(HamuxPlugin.class).forEach(p -> p.register(fresh));
                    standard = fresh;
                }
                r = standard;
            }
        }
        return r;
    }

    /** Adds a Lagrangian type; a name may be registered once. */
    public Registry addLagrangian(ComponentType<? extends Lagrangian> type) {
        if (type.role() != ComponentType.Role.LAGRANGIAN || lagrangians.putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("Lagrangian type '" + type + "' is registered twice or is no Lagrangian");
        }
        return this;
    }

    /** Adds a synapse type; a name may be registered once. */
    public Registry addSynapse(ComponentType<? extends Hypersynapse> type) {
        if (type.role() != ComponentType.Role.SYNAPSE || synapses.putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("synapse type '" + type + "' is registered twice or is no synapse");
        }
        return this;
    }

    /** Adds the top-level spec section {@code key} and its reader; a key may be registered once. */
    public Registry addSection(String key, Section<?> reader) {
        if (sections.putIfAbsent(key, reader) != null) {
            throw new IllegalStateException("spec section '" + key + "' is registered twice");
        }
        return this;
    }

    /** The top-level sections the modules add, by key. */
    public Map<String, Section<?>> sections() {
        return java.util.Collections.unmodifiableMap(sections);
    }

    /** The Lagrangian types by name. */
    public Map<String, ComponentType<? extends Lagrangian>> lagrangianTypes() {
        return java.util.Collections.unmodifiableMap(lagrangians);
    }

    /** The synapse types by name (presets included). */
    public Map<String, ComponentType<? extends Hypersynapse>> synapseTypes() {
        return java.util.Collections.unmodifiableMap(synapses);
    }

    /** The Lagrangian that {@code spec} describes (its {@code "type"} names it). */
    public Lagrangian lagrangian(SpecNode spec) {
        return create(spec, lagrangians, "Lagrangian");
    }

    /** The synapse that {@code spec} describes (its {@code "type"} names it). */
    public Hypersynapse synapse(SpecNode spec) {
        return create(spec, synapses, "synapse");
    }

    private <C extends Component> C create(SpecNode spec, Map<String, ComponentType<? extends C>> types, String what) {
        String type = spec.string("type");
        ComponentType<? extends C> f = types.get(type);
        if (f == null) {
            throw spec.error("type", "unknown " + what + " type '" + HamuxException.shorten(type, 40) + "' (known: " + String.join(", ", types.keySet()) + ")");
        }
        C c;
        try {
            c = f.read(spec, this);
        } catch (IllegalArgumentException e) {
            throw spec.error(null, e.getMessage());
        }
        spec.finish();
        return c;
    }
}
