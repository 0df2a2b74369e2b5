package org.hamux.synapses;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.regex.Pattern;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Setting;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Settings;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecNode;

/**
 * The JSON type {@code "class"}: a user's synapse named by its class on the class path,
 * {@code {"type": "class", "class": "com.example.MyEnergy", ...its own keys, "params": {...}}}.
 *
 * <p>The class must be public, concrete, a subclass of {@link Hypersynapse} (which needs only its energy, written
 * with {@code Ops}: the engine gives its gradient, also in training), and have either a public
 * constructor taking the {@link SpecNode} of its JSON object (it reads its own keys and parameters with
 * the node's getters, e.g. {@code spec.number("c", 1.0)}, {@code spec.param("W", shape)}; keys it does
 * not read are reported as unknown) or a public constructor without arguments (then the object holds
 * only {@code type} and {@code class}). Anything else is refused with a message that names the JSON
 * path. The class is loaded without running its static initializer, and is only initialized and
 * instantiated after these checks; a plugin jar ({@link org.hamux.core.HamuxPlugin}) is the way to give
 * a type its own name.
 */
public final class ClassSynapses {

    /** The class name. */
    public static final Setting<String> CLASS = Setting.string("class", null,
            "the synapse's class, public, on the class path, e.g. com.example.MyEnergy");
    /** The JSON type. */
    public static final ComponentType<Hypersynapse> TYPE = ComponentType.synapse("class",
            "a user's synapse, named by its class").settings(CLASS)
            .openKeys("the class's own keys and params, read by its constructor taking a SpecNode")
            .build(ClassSynapses::create);

    private static final Pattern NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
            + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*(\\$[\\p{javaJavaIdentifierPart}]+)*");

    private ClassSynapses() {
    }

    /** The synapse that {@code spec} names by its {@code "class"}; see the class comment for the rules. */
    public static Hypersynapse create(Settings settings) {
        SpecNode spec = settings.node();
        String name = settings.get(CLASS);
        if (!NAME.matcher(name).matches()) {
            throw spec.error("class", "'" + name + "' is not a Java class name (like com.example.MyEnergy)");
        }
        Class<?> c;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            c = Class.forName(name, false, loader != null ? loader : ClassSynapses.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw spec.error("class", "class " + name + " is not on the class path");
        }
        if (!Hypersynapse.class.isAssignableFrom(c)) {
            throw spec.error("class", "class " + name + " is not a synapse: it must extend " + Hypersynapse.class.getName()
                    + " (its energy written with Ops; the gradient may be left to the engine)");
        }
        if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers()) || c.isInterface()
                || (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers()))) {
            throw spec.error("class", "class " + name + " must be public, concrete and top-level or static");
        }
        Constructor<? extends Hypersynapse> ctor;
        boolean takesSpec;
        try {
            ctor = c.asSubclass(Hypersynapse.class).getConstructor(SpecNode.class);
            takesSpec = true;
        } catch (NoSuchMethodException e) {
            try {
                ctor = c.asSubclass(Hypersynapse.class).getConstructor();
                takesSpec = false;
            } catch (NoSuchMethodException e2) {
                throw spec.error("class", "class " + name + " has no public constructor taking a SpecNode (its JSON object) "
                        + "or taking nothing");
            }
        }
        try {
            return takesSpec ? ctor.newInstance(spec) : ctor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SpecException se) {
                throw se;
            }
            if (cause instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) cause;
            }
            throw spec.error(null, "the constructor of " + name + " failed: " + cause);
        } catch (ReflectiveOperationException | ExceptionInInitializerError e) {
            throw spec.error(null, "cannot create " + name + ": " + e);
        }
    }
}
