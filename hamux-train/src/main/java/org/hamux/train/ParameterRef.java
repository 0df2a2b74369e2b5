package org.hamux.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Component;
import org.hamux.core.EnergyGraph;

/**
 * A graph parameter under its flat name ({@code "hid.bias"}, {@code "img.beta"}, {@code "syn.W"}, as in
 * {@link EnergyGraph#parameters()}), with the component that owns it and its name there.
 */
public record ParameterRef(String flatName, String part, Component owner, String name) {

    /** Every parameter of {@code graph}, by flat name, in the order of {@link EnergyGraph#parameters()}. */
    public static Map<String, ParameterRef> of(EnergyGraph graph) {
        Map<String, ParameterRef> out = new LinkedHashMap<>();
        graph.layers().forEach((ln, l) -> {
            l.parameters().keySet().forEach(k -> out.put(ln + "." + k, new ParameterRef(ln + "." + k, ln, l, k)));
            l.lagrangian().parameters().keySet().forEach(k -> out.put(ln + "." + k,
                    new ParameterRef(ln + "." + k, ln, l.lagrangian(), k)));
        });
        graph.synapses().forEach((sn, s) -> s.parameters().keySet()
                .forEach(k -> out.put(sn + "." + k, new ParameterRef(sn + "." + k, sn, s, k))));
        return out;
    }
}
