package org.hamux.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecSchema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux types [TYPE...]}: the Lagrangian and synapse types a spec can name, from their declarations; with
 * names, each type's settings (kind, default, meaning) and parameters; with {@code --schema}, the JSON Schema of a
 * spec.
 */
@Command(name = "types", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Lists the Lagrangian and synapse types a spec can name; with TYPE names, their settings and parameters.",
            "With --schema prints the JSON Schema of a spec (for editors), e.g. hamux types --schema > hamux.schema.json"})
final class TypesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec cmd;

    @Parameters(paramLabel = "TYPE", arity = "0..*", description = "Types to show in full, e.g. softmax lse-memory.")
    List<String> names = new ArrayList<>();

    @Option(names = "--schema", description = "Print the JSON Schema of a spec instead.")
    boolean schema;

    @Override
    public Integer call() {
        Registry r = Registry.standard();
        PrintWriter out = cmd.commandLine().getOut();
        if (schema) {
            out.println(SpecSchema.of(r).toPrettyString());
        } else if (names.isEmpty()) {
            out.print(list(r));
        } else {
            Map<String, ComponentType<?>> all = all(r);
            for (String n : names) {
                if (!all.containsKey(n)) {
                    throw new CommandLine.ParameterException(cmd.commandLine(), "unknown type '" + n + "' (known: "
                            + String.join(", ", all.keySet()) + ")");
                }
            }
            for (int i = 0; i < names.size(); i++) {
                out.print((i > 0 ? "\n" : "") + detail(all.get(names.get(i))));
            }
        }
        out.flush();
        return 0;
    }

    private static Map<String, ComponentType<?>> all(Registry r) {
        Map<String, ComponentType<?>> all = new LinkedHashMap<>(r.lagrangianTypes());
        all.putAll(r.synapseTypes());
        return all;
    }

    /** Every type, one line each: name and what it computes. */
    static String list(Registry r) {
        StringBuilder b = new StringBuilder();
        Table lags = new Table("LAGRANGIAN", "COMPUTES");
        r.lagrangianTypes().values().forEach(t -> lags.row(t.name(), t.doc()));
        b.append(lags.render(""));
        Table syns = new Table("SYNAPSE", "COMPUTES");
        r.synapseTypes().values().forEach(t -> syns.row(t.name(), t.doc()
                + (t.presetOf() != null ? " [preset of " + t.presetOf() + "]" : "")));
        b.append('\n').append(syns.render(""));
        b.append("\nhamux types TYPE shows a type's settings and parameters.\n");
        return b.toString();
    }

    /** One type: what it computes, its settings with kind and default, its parameters. */
    static String detail(ComponentType<?> t) {
        StringBuilder b = new StringBuilder();
        b.append(t.name()).append(" (").append(t.role() == ComponentType.Role.LAGRANGIAN ? "Lagrangian" : "synapse")
                .append(t.presetOf() != null ? ", a preset of " + t.presetOf() : "").append("): ").append(t.doc()).append('\n');
        Table settings = new Table("SETTING", "KIND", "DEFAULT", "MEANING");
        for (Setting<?> s : t.settings()) {
            Object def = t.defaultOf(s);
            settings.row(s.name(), kind(s), def != null ? json(s, def) : s.required() ? "required" : "-", s.doc());
        }
        for (Param p : t.params()) {
            if (p.form() != Param.Form.ARRAY) {
                settings.row(p.name(), p.form() == Param.Form.SCALAR ? "number, learnable" : "number or array, learnable",
                        p.defaultValue() != null ? p.defaultValue() : "-", p.doc());
            }
        }
        if (settings.size() > 0) {
            b.append('\n').append(settings.render("  "));
        }
        Table params = new Table("PARAMS", "MEANING");
        t.params().stream().filter(p -> p.form() != Param.Form.SCALAR).forEach(p -> params.row(p.name(), p.doc()));
        if (t.paramFamily() != null) {
            String[] family = t.paramFamily().split(": ", 2);
            params.row(family[0], family[1]);
        }
        if (params.size() > 0) {
            b.append('\n').append(params.render("  "));
        }
        if (t.openKeys() != null) {
            b.append("\n  and ").append(t.openKeys()).append('\n');
        }
        return b.toString();
    }

    private static String kind(Setting<?> s) {
        return switch (s.kind()) {
            case CHOICE -> String.join(" | ", s.words());
            case NUMBER_OR_WORD -> "number | " + String.join(" | ", s.words().stream().map(w -> "\"" + w + "\"").toList());
            case PAIR -> "integer or [a, b]";
            case LAGRANGIAN -> "Lagrangian object";
            default -> s.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> Object json(Setting<T> s, Object v) {
        return s.json((T) v);
    }
}
