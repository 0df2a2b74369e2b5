package org.hamux.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A fixed setting (hyperparameter) of a component type, declared once as a constant of its class:
 * its JSON name, its kind, its default and what it means. The spec reader reads it with its kind and
 * default, the component records its value with {@link Component#set}, from which {@link
 * Component#hyperparameters()} (and so the spec writer) follows, and {@code hamux types} and the
 * JSON Schema ({@code hamux schema}) print it.
 *
 * <pre>  static final Setting&lt;Integer&gt; AXIS = Setting.integer("axis", -1, "the per-sample axis the softmax runs over");</pre>
 *
 * @param <T> the Java type of the value: Double, Integer, Long, Boolean, String, an enum, List&lt;Integer&gt;
 *            (a pair), Object (a number or a word) or Lagrangian
 */
public final class Setting<T> {

    /** How a setting is written in JSON. */
    public enum Kind {
        /** A finite number. */
        NUMBER,
        /** An integer in the range of an int. */
        INTEGER,
        /** An integer in the range of a long. */
        LONG,
        /** true or false. */
        BOOLEAN,
        /** A string. */
        STRING,
        /** One of a few words, each an enum constant ({@code RELU_POWER} is {@code "relu-power"}). */
        CHOICE,
        /** One integer for both axes, or two: {@code 2} or {@code [2, 1]}. */
        PAIR,
        /** A number or one of a few words, e.g. a prefactor {@code 0.5} or {@code "1/beta"}. */
        NUMBER_OR_WORD,
        /** A Lagrangian object {@code {"type": ...}}. */
        LAGRANGIAN,
        /** An array in any of a spec's array forms, an input the component is made from (not written back). */
        ARRAY
    }

    private final String name;
    private final Kind kind;
    private final T defaultValue;
    private final Class<?> enumType;
    private final List<String> words;
    private final String doc;
    private final boolean required;

    private Setting(String name, Kind kind, T defaultValue, Class<?> enumType, List<String> words, String doc) {
        this(name, kind, defaultValue, enumType, words, doc, defaultValue == null);
    }

    private Setting(String name, Kind kind, T defaultValue, Class<?> enumType, List<String> words, String doc,
                    boolean required) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.enumType = enumType;
        this.words = List.copyOf(words);
        this.doc = Objects.requireNonNull(doc, "doc");
        this.required = required;
    }

    /** This setting without a default and not required: absent, it reads as null (an input some forms need). */
    public Setting<T> optional() {
        return new Setting<>(name, kind, null, enumType, words, doc, false);
    }

    /** A number; {@code def} null makes it required. */
    public static Setting<Double> number(String name, Double def, String doc) {
        return new Setting<>(name, Kind.NUMBER, def, null, List.of(), doc);
    }

    /** An int; {@code def} null makes it required. */
    public static Setting<Integer> integer(String name, Integer def, String doc) {
        return new Setting<>(name, Kind.INTEGER, def, null, List.of(), doc);
    }

    /** A long, e.g. a seed. */
    public static Setting<Long> longInteger(String name, Long def, String doc) {
        return new Setting<>(name, Kind.LONG, def, null, List.of(), doc);
    }

    public static Setting<Boolean> bool(String name, boolean def, String doc) {
        return new Setting<>(name, Kind.BOOLEAN, def, null, List.of(), doc);
    }

    /** A string; {@code def} null makes it required. */
    public static Setting<String> string(String name, String def, String doc) {
        return new Setting<>(name, Kind.STRING, def, null, List.of(), doc);
    }

    /** One of the constants of {@code type}, written as {@link #word}. */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E def, String doc) {
        List<String> words = Arrays.stream(type.getEnumConstants()).map(Setting::word).toList();
        return new Setting<>(name, Kind.CHOICE, def, type, words, doc);
    }

    /** An integer pair, e.g. a stride; {@code def} null makes it required. */
    public static Setting<List<Integer>> pair(String name, Integer def, String doc) {
        return new Setting<>(name, Kind.PAIR, def == null ? null : List.of(def, def), null, List.of(), doc);
    }

    /** A number or one of {@code words}; the value is a Double or the word. */
    public static Setting<Object> numberOr(String name, Object def, String doc, String... words) {
        return new Setting<>(name, Kind.NUMBER_OR_WORD, def, null, List.of(words), doc);
    }

    /** An input array (required unless {@link #optional()}). */
    public static Setting<org.nd4j.linalg.api.ndarray.INDArray> array(String name, String doc) {
        return new Setting<>(name, Kind.ARRAY, null, null, List.of(), doc);
    }

    /** A nested Lagrangian (required). */
    public static Setting<Lagrangian> lagrangian(String name, String doc) {
        return new Setting<>(name, Kind.LAGRANGIAN, null, null, List.of(), doc);
    }

    /** The JSON word of an enum constant: lower case, {@code _} as {@code -} ({@code NEG_HALF_SQ} is {@code neg-half-sq}). */
    public static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a spec must give it (it has no default and is not {@link #optional()}). */
    public boolean required() {
        return required;
    }

    /** The default, or null where the setting has none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The words of a choice or of a number-or-word. */
    public List<String> words() {
        return words;
    }

    /** What the setting means, for {@code hamux types} and the JSON Schema. */
    public String doc() {
        return doc;
    }

    /** The constant of a choice named {@code word}; throws {@link IllegalArgumentException} listing the words. */
    @SuppressWarnings("unchecked")
    public T ofWord(String word) {
        for (Object c : enumType.getEnumConstants()) {
            if (word((Enum<?>) c).equals(word)) {
                return (T) c;
            }
        }
        throw new IllegalArgumentException("unknown " + name + " '" + HamuxException.shorten(word, 40) + "' (known: "
                + String.join(", ", words) + ")");
    }

    /** {@code value} as JSON writes it: a choice as its word, a Lagrangian as its object, others as they are. */
    public Object json(T value) {
        if (value instanceof Enum<?> e) {
            return word(e);
        }
        if (value instanceof Lagrangian l) {
            return l.asJson();
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
