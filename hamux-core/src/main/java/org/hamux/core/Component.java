package org.hamux.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A building block of an energy graph: a {@link Lagrangian}, a {@link Hypersynapse} or a
 * {@link NeuronLayer}. It is immutable; its <em>parameters</em> (named arrays that training may
 * change: weights, memories, beta, gamma, ...) are kept apart from its <em>hyperparameters</em>
 * (fixed settings: an axis, a power, a flag), and {@link #withParameters} gives a copy with new
 * parameter values.
 *
 * <p>A subclass declares each setting and parameter once, as a {@link Setting} or {@link Param} constant,
 * records its values in the constructor ({@link #set}, {@link #declare}) and reads parameters in its math
 * through {@code Ops.param(this, PARAM)}, so that training can substitute variables. The spec reader, the
 * writer, {@link #hyperparameters()}, {@code hamux types} and the JSON Schema all follow from these
 * declarations (see {@code ComponentType}).
 */
public abstract class Component implements Cloneable {

    private Map<String, INDArray> params = new LinkedHashMap<>();
    private final Map<Setting<?>, Object> settings = new LinkedHashMap<>();

    /** The stable name of this type in JSON specs and in the registry, e.g. {@code "softmax"}. */
    public abstract String type();

    /**
     * Fixed settings, by their JSON names, as JSON writes them (numbers, strings, booleans, lists, objects): the
     * values recorded with {@link #set}, in that order.
     */
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        settings.forEach((k, v) -> h.put(k.name(), json(k, v)));
        return h;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object json(Setting<T> k, Object v) {
        return k.json((T) v);
    }

    /** Records the value of setting {@code key}; call from the constructor only. Returns {@code value}. */
    protected final <T> T set(Setting<T> key, T value) {
        settings.put(key, Objects.requireNonNull(value, key.name()));
        return value;
    }

    /** The value of setting {@code key}; throws if this component does not record it. */
    @SuppressWarnings("unchecked")
    public final <T> T setting(Setting<T> key) {
        Object v = settings.get(key);
        if (v == null) {
            throw new HamuxException(this + " has no setting '" + key.name() + "'");
        }
        return (T) v;
    }

    /** Declares parameter {@code p}; call from the constructor only. Scalars are rank-0 arrays. */
    protected final void declare(Param p, INDArray value) {
        declare(p.name(), value);
    }

    /**
     * Declares a parameter by name, for families of parameters a {@link Param} cannot name one by one
     * ({@code W0, W1, ...}) and for components without declarations; call from the constructor only.
     */
    protected final void declare(String name, INDArray value) {
        Objects.requireNonNull(value, name);
        params.put(name, value);
    }

    /**
     * A scalar parameter value, held in double precision so that it stays exact until the graph is cast
     * to its data type ({@link EnergyGraph.Builder#dtype}).
     */
    protected static INDArray scalar(double v) {
        return Nd4j.scalar(DataType.DOUBLE, v);
    }

    /** The parameters by name, in declaration order (unmodifiable; do not modify the arrays). */
    public final Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Parameter {@code name}; throws if this component has none of that name. */
    public final INDArray parameter(String name) {
        INDArray a = params.get(name);
        if (a == null) {
            throw new HamuxException(this + " has no parameter '" + name + "' (it has " + params.keySet() + ")");
        }
        return a;
    }

    /** Parameter {@code p}. */
    public final INDArray parameter(Param p) {
        return parameter(p.name());
    }

    /** The value of a scalar parameter. */
    public final double scalarParameter(String name) {
        return parameter(name).getDouble(0);
    }

    /** The value of scalar parameter {@code p}. */
    public final double scalarParameter(Param p) {
        return scalarParameter(p.name());
    }

    /**
     * This component as its JSON object with its arrays inline: type, settings, scalar parameters as numbers,
     * other parameters under {@code "params"} as nested lists (how a Lagrangian nested in a synapse is written).
     */
    public final Map<String, Object> asJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.putAll(hyperparameters());
        Map<String, Object> arrays = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (v.rank() == 0) {
                m.put(k, v.getDouble(0));
            } else {
                arrays.put(k, nested(v.castTo(DataType.DOUBLE)));
            }
        });
        if (!arrays.isEmpty()) {
            m.put("params", arrays);
        }
        return m;
    }

    private static Object nested(INDArray a) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (long i = 0; i < a.size(0); i++) {
            out.add(a.rank() == 1 ? (Object) a.getDouble(i) : nested(a.slice(i)));
        }
        return out;
    }

    /** The number of parameter elements. */
    public final long parameterCount() {
        return params.values().stream().mapToLong(INDArray::length).sum();
    }

    /**
     * A copy of this component with some parameters replaced. Each replacement must have the shape of
     * the parameter it replaces.
     */
    @SuppressWarnings("unchecked")
    public final <C extends Component> C withParameters(Map<String, INDArray> replacements) {
        Map<String, INDArray> next = new LinkedHashMap<>(params);
        replacements.forEach((name, value) -> {
            INDArray old = parameter(name);
            if (!Arrays.equals(old.shape(), value.shape())) {
                throw new HamuxException("parameter '" + name + "' of " + type() + " has shape "
                        + Arrays.toString(old.shape()) + ", not " + Arrays.toString(value.shape()));
            }
            next.put(name, value);
        });
        try {
            Component copy = (Component) super.clone();
            copy.params = next;
            return (C) copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy with every parameter in data type {@code dtype}. */
    public <C extends Component> C castTo(DataType dtype) {
        Map<String, INDArray> cast = new LinkedHashMap<>();
        params.forEach((k, v) -> cast.put(k, v.dataType() == dtype ? v : v.castTo(dtype)));
        return withParameters(cast);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Component c = (Component) o;
        if (!hyperparameters().equals(c.hyperparameters()) || !params.keySet().equals(c.params.keySet())) {
            return false;
        }
        for (var e : params.entrySet()) {
            INDArray a = e.getValue();
            INDArray b = c.params.get(e.getKey());
            if (!Arrays.equals(a.shape(), b.shape()) || !a.castTo(DataType.DOUBLE).equals(b.castTo(DataType.DOUBLE))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), hyperparameters(), params.keySet());
    }

    /** {@code Softmax(beta=1.0, axis=-1)}; array parameters show their shape. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", displayName() + "(", ")");
        params.forEach((k, v) -> j.add(k + "=" + (v.rank() == 0 ? String.valueOf(v.getDouble(0))
                : "array" + Arrays.toString(v.shape()))));
        hyperparameters().forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** The type name in title case, for {@link #toString}. */
    protected String displayName() {
        String t = type();
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char ch : t.toCharArray()) {
            if (ch == '-' || ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }
}
