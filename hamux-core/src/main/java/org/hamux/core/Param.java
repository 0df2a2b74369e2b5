package org.hamux.core;

import java.util.Objects;

/**
 * A parameter of a component type (an array training may change), declared once as a constant of its class and
 * used as a handle: {@code declare(XI, xi)} in the constructor, {@code o.param(this, XI)} in the math.
 *
 * <p>Its {@link Form} says how a spec writes it: an {@code ARRAY} under the object's {@code "params"}; a
 * {@code SCALAR} inline as a number ({@code "beta": 1.0}); a {@code SCALAR_OR_ARRAY} either way (one value, or one
 * per head or per element under {@code "params"}).
 *
 * @param name         the name in JSON and in training's parameter paths ({@code mem.xi})
 * @param form         how a spec writes it
 * @param defaultValue the default of a scalar, or null (an array, or a required scalar)
 * @param doc          what it is, with its shape
 */
public record Param(String name, Form form, Double defaultValue, String doc) {

    /** How a spec writes a parameter. */
    public enum Form { ARRAY, SCALAR, SCALAR_OR_ARRAY }

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(doc, "doc");
    }

    /** An array under {@code "params"}. */
    public static Param array(String name, String doc) {
        return new Param(name, Form.ARRAY, null, doc);
    }

    /** A scalar written inline; {@code def} null makes it required. */
    public static Param scalar(String name, Double def, String doc) {
        return new Param(name, Form.SCALAR, def, doc);
    }

    /** A number inline or an array under {@code "params"}; {@code def} null: none by default. */
    public static Param scalarOrArray(String name, Double def, String doc) {
        return new Param(name, Form.SCALAR_OR_ARRAY, def, doc);
    }

    @Override
    public String toString() {
        return name;
    }
}
