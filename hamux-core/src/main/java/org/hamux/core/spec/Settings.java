package org.hamux.core.spec;

import java.util.List;
import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a {@link ComponentType}'s factory reads: the spec object of one component, read through the type's
 * declarations. Each getter reads a declared setting or parameter with its kind and default and fails with a
 * message located at its JSON path; reading one the type does not declare is a programming error
 * ({@link IllegalStateException}), so that a declaration and its factory cannot drift apart. Keys no getter read
 * are reported as unknown when the component is made.
 */
public final class Settings {

    private final ComponentType<?> type;
    private final SpecNode node;
    private final Registry registry;

    Settings(ComponentType<?> type, SpecNode node, Registry registry) {
        this.type = type;
        this.node = node;
        this.registry = registry;
    }

    /** The type (or preset) being read. */
    public ComponentType<?> type() {
        return type;
    }

    /** The spec object itself: its path, data type and, for a synapse, the shapes of its layers. */
    public SpecNode node() {
        return node;
    }

    /** For a synapse: the per-sample shapes of the layers it connects, in slot order. */
    public List<long[]> layerShapes() {
        return node.layerShapes();
    }

    /** A located error about setting or parameter {@code key} (a {@link Setting}, a {@link Param} or null). */
    public SpecException error(Object key, String message) {
        return node.error(key == null ? null : key.toString(), message);
    }

    /** Whether the spec gives setting {@code s}. */
    public boolean has(Setting<?> s) {
        declared(s);
        return node.has(s.name());
    }

    /** The value of setting {@code s}, or the type's default for it; a required setting must be given. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        declared(s);
        String k = s.name();
        T def = type.defaultOf(s);
        if (def == null && !node.has(k)) {
            if (s.required()) {
                throw node.error(null, "missing required key '" + k + "' (" + s.doc() + ")");
            }
            node.string(k, null);                                       // read: absent is allowed
            return null;
        }
        return (T) switch (s.kind()) {
            case NUMBER -> def == null ? node.number(k) : node.number(k, (Double) def);
            case INTEGER -> def == null ? node.integer(k) : node.integer(k, (Integer) def);
            case LONG -> def == null ? node.longValue(k) : node.longValue(k, (Long) def);
            case BOOLEAN -> node.bool(k, (Boolean) def);
            case STRING -> def == null ? node.string(k) : node.string(k, (String) def);
            case CHOICE -> choice(s, def);
            case PAIR -> pair(k, (List<Integer>) def);
            case NUMBER_OR_WORD -> numberOrWord(s, def);
            case LAGRANGIAN -> lagrangian(s);
            case ARRAY -> node.array(k);
        };
    }

    private <T> T choice(Setting<T> s, T def) {
        String word = def == null ? node.string(s.name()) : node.string(s.name(), Setting.word((Enum<?>) def));
        try {
            return s.ofWord(word);
        } catch (IllegalArgumentException e) {
            throw node.error(s.name(), e.getMessage());
        }
    }

    /** One integer for both axes or a list of two. */
    private List<Integer> pair(String k, List<Integer> def) {
        if (!node.has(k)) {
            node.integer(k, 0);
            return def;
        }
        long[] v;
        try {
            v = node.shape(k);
        } catch (SpecException notAList) {
            int n = node.integer(k);
            return List.of(n, n);
        }
        if (v.length != 2 || v[0] > Integer.MAX_VALUE || v[1] > Integer.MAX_VALUE) {
            throw node.error(k, "expected one integer or two [rows, columns], got " + v.length);
        }
        return List.of((int) v[0], (int) v[1]);
    }

    private Object numberOrWord(Setting<?> s, Object def) {
        String k = s.name();
        String expected = "expected a number or " + String.join(" or ", s.words().stream().map(w -> "\"" + w + "\"").toList());
        if (!node.has(k)) {
            return def instanceof Number n ? node.number(k, n.doubleValue()) : node.string(k, (String) def);
        }
        try {
            return node.number(k);
        } catch (SpecException notANumber) {
            String v;
            try {
                v = node.string(k);
            } catch (SpecException notAString) {
                throw node.error(k, expected);
            }
            if (!s.words().contains(v)) {
                throw node.error(k, expected + ", got \"" + org.hamux.core.HamuxException.shorten(v, 40) + "\"");
            }
            return v;
        }
    }

    private Lagrangian lagrangian(Setting<?> s) {
        return registry.lagrangian(node.child(s.name()));
    }

    /** Scalar parameter {@code p}, written inline as a number. */
    public double number(Param p) {
        declared(p);
        return p.defaultValue() == null ? node.number(p.name()) : node.number(p.name(), p.defaultValue());
    }

    /** Array parameter {@code p} from {@code "params"}; {@code initShape} is the shape an {@code init} without one makes. */
    public INDArray array(Param p, long[] initShape) {
        declared(p);
        return node.param(p.name(), initShape);
    }

    /** Array parameter {@code p} from {@code "params"}, or null where not given. */
    public INDArray optionalArray(Param p, long[] initShape) {
        declared(p);
        return node.optionalParam(p.name(), initShape);
    }

    /**
     * Parameter {@code p} given as a number inline (a double-precision scalar) or as an array under
     * {@code "params"}, not both; else its default as a scalar, or null where it has none.
     */
    public INDArray scalarOrArray(Param p, long[] initShape) {
        declared(p);
        INDArray array = node.optionalParam(p.name(), initShape);
        if (node.has(p.name())) {
            if (array != null) {
                throw node.error(p.name(), p.name() + " is given twice, as a key and under \"params\": give it once");
            }
            return node.isNumber(p.name()) ? Nd4j.scalar(DataType.DOUBLE, node.number(p.name())) : node.array(p.name());
        }
        node.number(p.name(), 0);
        if (array != null) {
            return array;
        }
        return p.defaultValue() == null ? null : Nd4j.scalar(DataType.DOUBLE, p.defaultValue());
    }

    /** Parameter {@code name} of the type's family ({@code W0, W1, ...}) from {@code "params"}. */
    public INDArray familyArray(String name, long[] initShape) {
        if (type.paramFamily() == null) {
            throw new IllegalStateException("type " + type + " declares no family of parameters");
        }
        return node.param(name, initShape);
    }

    private void declared(Setting<?> s) {
        if (!type.declares(s)) {
            throw new IllegalStateException("type " + type + " reads setting '" + s + "' but does not declare it");
        }
    }

    private void declared(Param p) {
        if (!type.declares(p)) {
            throw new IllegalStateException("type " + type + " reads parameter '" + p + "' but does not declare it");
        }
    }
}
