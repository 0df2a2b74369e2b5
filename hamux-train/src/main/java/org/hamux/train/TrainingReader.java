package org.hamux.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.spec.SpecNode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the {@code "training"} section of a spec; every error names its JSON path:
 * <pre>{@code
 * "training": {
 *   "train": ["img_hid.W", "hid_lbl.W", "hid.bias"],          // flat parameter names; the rest is frozen
 *   "inputs": {"img": "images"},                              // layer <- data array (its initial state)
 *   "clamp": ["img"],  "steps": 8, "dt": 0.5,                 // default: the spec's "dynamics"
 *   "loss": {"type": "cross-entropy", "layer": "lbl", "target": "labels", "of": "activation"},
 *   "optimizer": {"type": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0,
 *                 "momentum": 0},
 *   "schedule": {"type": "cosine", "warmup": 100, "min_factor": 0.0},
 *   "clip": 1.0, "batch": 64, "epochs": 3, "seed": 0,
 *   "recompute": 4,                                           // keep the states every 4 steps, recompute the rest
 *   "data": {"train": "data/fashion-mnist-1000.npz", "test": null, "split": 0.1,
 *            "scale": {"images": 0.00392156862745098}, "noise": {"images": 0.3}},   // adds images_noisy
 *            // and "erase": {"images": "top-half-mask.npy"} adds images_erased (0 where the mask is 0)
 *   "cluster": {"layer": "v", "memories": "mem.xi", "labels": "labels"}
 * }
 * }</pre>
 * Loss types: {@code mse}, {@code cross-entropy}, {@code masked-mse} (with {@code "mask"}: an ARRAY of the
 * layer's per-sample shape, 1 where the error counts). Optimizer types: {@code sgd}, {@code adam},
 * {@code adamw}. Schedule types: {@code constant}, {@code cosine}.
 */
public final class TrainingReader {

    private TrainingReader() {
    }

    /** The training settings of {@code n} (null when the spec has none). */
    public static Training read(SpecNode n, EnergyGraph graph, Dynamics dynamics) {
        if (n == null) {
            return null;
        }
        Training.Builder b = Training.builder();
        List<String> train = n.strings("train");
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (int i = 0; i < train.size(); i++) {
            if (!refs.containsKey(train.get(i))) {
                throw n.error("train[" + i + "]", "unknown parameter '" + train.get(i) + "' (the graph has "
                        + refs.keySet() + ")");
            }
            try {
                Unrolled.checkTrainable(graph, List.of(train.get(i)));
            } catch (HamuxException e) {
                throw n.error("train[" + i + "]", e.getMessage());
            }
        }
        b.train(train.toArray(String[]::new));
        try {
            Unrolled.checkTrainable(graph, train);
        } catch (HamuxException e) {
            throw n.error("train", e.getMessage());
        }
        SpecNode inputs = n.child("inputs");
        if (inputs != null) {
            for (String layer : inputs.keys()) {
                layer(inputs, layer, layer, graph);
                b.input(layer, inputs.string(layer));
            }
            inputs.finish();
        }
        if (n.has("clamp")) {
            List<String> clamp = n.strings("clamp");
            for (int i = 0; i < clamp.size(); i++) {
                layer(n, "clamp[" + i + "]", clamp.get(i), graph);
            }
            b.clamp(clamp.toArray(String[]::new));
        } else {
            b.clamp(dynamics.clamped().toArray(String[]::new));
        }
        dynamics.masks().forEach((layer, m) -> {
            if (m.rank() == graph.layer(layer).shape().length) {
                b.mask(layer, m);
            }
        });
        b.noise(dynamics.temperature(), dynamics.noiseSeed()).tolerance(dynamics.tolerance());
        try {
            b.steps(n.integer("steps", dynamics.steps()));
        } catch (HamuxException e) {
            throw n.error("steps", e.getMessage());
        }
        try {
            b.dt(n.number("dt", dynamics.dt()));
        } catch (HamuxException e) {
            throw n.error("dt", e.getMessage());
        }
        SpecNode loss = n.child("loss");
        if (loss == null) {
            throw n.error(null, "missing required key 'loss' (e.g. {\"type\": \"mse\", \"layer\": \"v\", \"target\": \"images\"})");
        }
        b.loss(loss(loss, graph));
        SpecNode opt = n.child("optimizer");
        if (opt != null) {
            try {
                b.optimizer(new Optimizer.Settings(opt.string("type", "adam"), opt.number("lr", Optimizer.Settings.DEFAULT_LR),
                        opt.number("momentum", 0), opt.number("beta1", Optimizer.Settings.DEFAULT_BETA1),
                        opt.number("beta2", Optimizer.Settings.DEFAULT_BETA2), opt.number("eps", Optimizer.Settings.DEFAULT_EPS),
                        opt.number("weight_decay", 0)));
            } catch (HamuxException e) {
                throw opt.error(null, e.getMessage());
            }
            opt.finish();
        }
        SpecNode sch = n.child("schedule");
        if (sch != null) {
            try {
                b.schedule(new Schedule(sch.string("type", "constant"), sch.longValue("warmup", 0), sch.number("min_factor", 0)));
            } catch (HamuxException e) {
                throw sch.error(null, e.getMessage());
            }
            sch.finish();
        }
        b.clip(n.number("clip", 0)).recompute(n.integer("recompute", 0)).batch(n.integer("batch", Training.DEFAULT_BATCH))
                .epochs(n.integer("epochs", Training.DEFAULT_EPOCHS)).seed(n.longValue("seed", 0));
        SpecNode data = n.child("data");
        if (data != null) {
            Path train0 = data.has("train") ? data.file("train") : null;
            Path test = data.has("test") ? data.file("test") : null;
            if (!data.has("train")) {
                data.string("train", null);
            }
            if (!data.has("test")) {
                data.string("test", null);
            }
            double split = data.number("split", 0);
            Map<String, Double> scale = new LinkedHashMap<>();
            SpecNode sc = data.child("scale");
            if (sc != null) {
                for (String k : sc.keys()) {
                    scale.put(k, sc.number(k));
                }
                sc.finish();
            }
            Map<String, Double> noise = new LinkedHashMap<>();
            SpecNode nz = data.child("noise");
            if (nz != null) {
                for (String k : nz.keys()) {
                    double std = nz.number(k);
                    if (!(std >= 0)) {
                        throw nz.error(k, "a noise standard deviation must be at least 0, got " + std);
                    }
                    noise.put(k, std);
                }
                nz.finish();
            }
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> erase = new LinkedHashMap<>();
            SpecNode er = data.child("erase");
            if (er != null) {
                for (String k : er.keys()) {
                    erase.put(k, er.array(k));
                }
                er.finish();
            }
            try {
                b.data(new Training.Data(train0, test, split, scale, noise, erase));
            } catch (HamuxException e) {
                throw data.error("split", e.getMessage());
            }
            data.finish();
        }
        SpecNode cl = n.child("cluster");
        if (cl != null) {
            String layer = cl.string("layer");
            layer(cl, "layer", layer, graph);
            String mem = cl.string("memories");
            if (!refs.containsKey(mem) || refs.get(mem).owner().parameter(refs.get(mem).name()).rank() != 2) {
                throw cl.error("memories", "'" + mem + "' is not a matrix parameter of the graph (parameters: "
                        + refs.keySet() + ")");
            }
            b.cluster(new Training.Cluster(layer, mem, cl.string("labels", null)));
            cl.finish();
        }
        n.finish();
        try {
            return b.build();
        } catch (HamuxException e) {
            throw n.error(null, e.getMessage());
        }
    }

    private static Loss loss(SpecNode n, EnergyGraph graph) {
        String type = n.string("type");
        String layer = n.string("layer");
        layer(n, "layer", layer, graph);
        String target = n.string("target");
        String of = n.string("of", "activation");
        Loss.Of o = switch (of) {
            case "activation" -> Loss.Of.ACTIVATION;
            case "state" -> Loss.Of.STATE;
            default -> throw n.error("of", "expected \"activation\" or \"state\", got '" + of + "'");
        };
        Loss l = switch (type) {
            case "mse" -> Loss.mse(layer, o, target);
            case "cross-entropy" -> Loss.crossEntropy(layer, o, target);
            case "masked-mse" -> {
                INDArray mask = n.array("mask", graph.layer(layer).shape());
                if (!java.util.Arrays.equals(mask.shape(), graph.layer(layer).shape())) {
                    throw n.error("mask", "mask has shape " + java.util.Arrays.toString(mask.shape()) + "; layer '"
                            + layer + "' has shape " + java.util.Arrays.toString(graph.layer(layer).shape()));
                }
                try {
                    yield Loss.maskedMse(layer, o, target, mask);
                } catch (HamuxException e) {
                    throw n.error("mask", e.getMessage());
                }
            }
            default -> throw n.error("type", "unknown loss '" + type + "' (use mse, cross-entropy or masked-mse;"
                    + " a user-written loss is given through the Java API, Loss.custom)");
        };
        n.finish();
        return l;
    }

    private static void layer(SpecNode n, String key, String layer, EnergyGraph graph) {
        if (!graph.layers().containsKey(layer)) {
            throw n.error(key, "unknown layer '" + layer + "' (layers: " + graph.layers().keySet() + ")");
        }
    }
}
