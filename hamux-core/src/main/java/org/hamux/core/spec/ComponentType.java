package org.hamux.core.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.Component;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.Setting;

/**
 * A component type as a spec names it: its JSON name, what it computes, its declared {@link Setting}s and
 * {@link Param}s, and the factory that makes it from them. Everything else about a type follows from this one
 * declaration: reading ({@link Settings} reads each key with its kind and default and refuses the others),
 * writing (the component records its settings with {@code set}), {@code hamux types}, and the JSON Schema
 * ({@link SpecSchema}). A preset is the same type with other defaults.
 *
 * <pre>  ComponentType.lagrangian("softmax", "L = logsumexp(beta x)/beta; g = softmax(beta x)")
 *       .params(SoftmaxLagrangian.BETA).settings(SoftmaxLagrangian.AXIS)
 *       .build(s -&gt; new SoftmaxLagrangian(s.number(SoftmaxLagrangian.BETA), s.get(SoftmaxLagrangian.AXIS)));</pre>
 *
 * @param <C> the component class it makes
 */
public final class ComponentType<C extends Component> {

    /** Whether a type is a neuron layer's Lagrangian or a synapse. */
    public enum Role { LAGRANGIAN, SYNAPSE }

    /** Makes the component from the settings a spec object gives. */
    @FunctionalInterface
    public interface Factory<C> {
        C create(Settings s);
    }

    private final String name;
    private final Role role;
    private final String doc;
    private final List<Setting<?>> settings;
    private final List<Param> params;
    private final String paramFamily;
    private final String openKeys;
    private final Map<Setting<?>, Object> defaults;
    private final String presetOf;
    private final Factory<? extends C> factory;

    private ComponentType(String name, Role role, String doc, List<Setting<?>> settings, List<Param> params,
                          String paramFamily, String openKeys, Map<Setting<?>, Object> defaults, String presetOf,
                          Factory<? extends C> factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.role = role;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.settings = List.copyOf(settings);
        this.params = List.copyOf(params);
        this.paramFamily = paramFamily;
        this.openKeys = openKeys;
        this.defaults = Map.copyOf(defaults);
        this.presetOf = presetOf;
        this.factory = Objects.requireNonNull(factory, "factory");
        for (Setting<?> s : defaults.keySet()) {
            if (!this.settings.contains(s)) {
                throw new IllegalArgumentException("preset " + name + " sets '" + s + "', which " + presetOf + " does not declare");
            }
        }
    }

    /** Starts the declaration of Lagrangian type {@code name}. */
    public static <C extends Lagrangian> Builder<C> lagrangian(String name, String doc) {
        return new Builder<>(name, Role.LAGRANGIAN, doc);
    }

    /** Starts the declaration of synapse type {@code name}. */
    public static <C extends Hypersynapse> Builder<C> synapse(String name, String doc) {
        return new Builder<>(name, Role.SYNAPSE, doc);
    }

    /** The declaration of a type, in the order a user reads it. */
    public static final class Builder<C extends Component> {
        private final String name;
        private final Role role;
        private final String doc;
        private final List<Setting<?>> settings = new ArrayList<>();
        private final List<Param> params = new ArrayList<>();
        private String paramFamily;
        private String openKeys;

        private Builder(String name, Role role, String doc) {
            this.name = name;
            this.role = role;
            this.doc = doc;
        }

        /** The fixed settings, in the order they are written. */
        public Builder<C> settings(Setting<?>... s) {
            settings.addAll(List.of(s));
            return this;
        }

        /** The parameters. */
        public Builder<C> params(Param... p) {
            params.addAll(List.of(p));
            return this;
        }

        /** A family of array parameters: their names ({@code "W0, W1, ..."}) and what they are (one per slot). */
        public Builder<C> paramFamily(String names, String description) {
            this.paramFamily = names + ": " + description;
            return this;
        }

        /** Keys beyond the declared ones that the component reads itself (a user's class); what they are. */
        public Builder<C> openKeys(String description) {
            this.openKeys = description;
            return this;
        }

        public ComponentType<C> build(Factory<? extends C> factory) {
            return new ComponentType<>(name, role, doc, settings, params, paramFamily, openKeys, Map.of(), null, factory);
        }
    }

    /**
     * The same type under another name with other defaults (every key may still be given); written back under
     * this type's name with all its settings.
     */
    public ComponentType<C> preset(String presetName, String presetDoc, Map<Setting<?>, Object> presetDefaults) {
        Map<Setting<?>, Object> d = new LinkedHashMap<>(defaults);
        d.putAll(presetDefaults);
        return new ComponentType<>(presetName, role, presetDoc, settings, params, paramFamily, openKeys, d, name, factory);
    }

    /** Reads the component that {@code node} describes; {@code registry} reads nested Lagrangians. */
    public C read(SpecNode node, Registry registry) {
        return factory.create(new Settings(this, node, registry));
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public String doc() {
        return doc;
    }

    public List<Setting<?>> settings() {
        return settings;
    }

    public List<Param> params() {
        return params;
    }

    /** The family of array parameters, {@code "names: what they are"} (e.g. one per slot), or null. */
    public String paramFamily() {
        return paramFamily;
    }

    /** What further keys the component reads itself, or null where every key is declared. */
    public String openKeys() {
        return openKeys;
    }

    /** The type this is a preset of, or null. */
    public String presetOf() {
        return presetOf;
    }

    /** The default of {@code s} for this type (a preset's own, else the setting's). */
    @SuppressWarnings("unchecked")
    public <T> T defaultOf(Setting<T> s) {
        return defaults.containsKey(s) ? (T) defaults.get(s) : s.defaultValue();
    }

    /** Whether {@code s} is declared by this type. */
    boolean declares(Setting<?> s) {
        return settings.contains(s);
    }

    boolean declares(Param p) {
        return params.contains(p);
    }

    @Override
    public String toString() {
        return name;
    }
}
