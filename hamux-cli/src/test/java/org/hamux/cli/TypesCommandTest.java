package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The type declarations as users meet them: {@code hamux types} and the JSON Schema derived from them, which every
 * bundled spec and every spec the writer makes must satisfy, and which refuses what the reader refuses.
 */
class TypesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void schema() throws IOException {
        Cli.Result r = Cli.run("types", "--schema");
        assertEquals(0, r.code(), r.err());
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(r.out()));
    }

    private static Set<ValidationMessage> validate(String json) throws IOException {
        return schema.validate(JSON.readTree(json));
    }

    @Test
    void everyBundledSpecSatisfiesTheSchema() throws IOException {
        List<Path> specs = new ArrayList<>();
        for (Path dir : List.of(Path.of("../examples"), Path.of("../examples/bench"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(specs::add);
            }
        }
        assertTrue(specs.size() >= 10, specs.toString());
        for (Path p : specs) {
            Set<ValidationMessage> m = validate(Files.readString(p));
            assertTrue(m.isEmpty(), p + ": " + m);
        }
    }

    @Test
    void specsTheWriterMakesSatisfyTheSchema(@TempDir Path dir) throws IOException {
        for (String name : List.of("energy-transformer.json", "fashion-classifier.json", "conv-hierarchy.json",
                "clam-blobs.json")) {
            var spec = SpecReader.read(Path.of("../examples", name));
            Path out = dir.resolve(name);
            SpecWriter.write(out, "written", spec.graph(), spec.dynamics());
            Set<ValidationMessage> m = validate(Files.readString(out));
            assertTrue(m.isEmpty(), name + " written back: " + m);
        }
    }

    @Test
    void theSchemaRefusesUnknownKeysWrongWordsAndMissingSettings() throws IOException {
        String layers = "\"layers\": {\"v\": {\"shape\": [3], \"lagrangian\": {\"type\": \"identity\"}}}";
        String ok = "{" + layers + ", \"synapses\": {\"m\": {\"type\": \"dam\", \"separation\": \"exp\", \"params\": {\"xi\": [[1, 2, 3]]}}}}";
        assertTrue(validate(ok).isEmpty(), validate(ok).toString());
        for (String bad : List.of(
                "{\"type\": \"dam\", \"separation\": \"cubic\", \"params\": {\"xi\": [[1, 2, 3]]}}",
                "{\"type\": \"dam\", \"betta\": 2, \"params\": {\"xi\": [[1, 2, 3]]}}",
                "{\"type\": \"dam\", \"params\": {\"xi\": [[1, 2, 3]], \"zeta\": 1}}",
                "{\"type\": \"conv-pool\", \"params\": {\"W\": [1]}}",
                "{\"type\": \"lse-memory\", \"prefactor\": \"1/gamma\", \"params\": {\"xi\": [[1, 2, 3]]}}",
                "{\"type\": \"no-such-type\"}")) {
            String spec = "{" + layers + ", \"synapses\": {\"m\": " + bad + "}}";
            assertFalse(validate(spec).isEmpty(), "the schema accepts " + bad);
        }
    }

    @Test
    void everyTypeDeclaresWhatItIsWithDistinctNames() {
        Registry r = Registry.standard();
        List<ComponentType<?>> types = new ArrayList<>(r.lagrangianTypes().values());
        types.addAll(r.synapseTypes().values());
        for (ComponentType<?> t : types) {
            assertFalse(t.doc().isBlank(), t.name());
            Set<String> names = new HashSet<>();
            for (Setting<?> s : t.settings()) {
                assertTrue(names.add(s.name()), t + " declares '" + s + "' twice");
                assertFalse(s.doc().isBlank(), t + "." + s);
            }
            for (Param p : t.params()) {
                assertTrue(names.add(p.name()), t + " declares '" + p + "' twice");
                assertFalse(p.doc().isBlank(), t + "." + p);
            }
        }
    }

    @Test
    void listsTypesAndShowsOneInFull() {
        Cli.Result all = Cli.run("types");
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains("softmax") && all.out().contains("lse-memory") && all.out().contains("preset of dam"),
                all.out());
        Cli.Result one = Cli.run("types", "power-dam");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("a preset of dam") && one.out().matches("(?s).*\\n  n +number +3\\.0 .*"), one.out());
        Cli.Result bad = Cli.run("types", "nope");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown type 'nope'"), bad.err());
    }

    @Test
    void theSchemaDefaultsAreTheReadersDefaults(@TempDir Path dir) throws IOException {
        // a spec that gives nothing but the memories reads as the defaults the schema states
        JsonNode dam = JSON.readTree(Cli.run("types", "--schema").out()).at("/$defs/type-lse-memory/properties");
        String json = "{\"layers\": {\"v\": {\"shape\": [3], \"lagrangian\": {\"type\": \"identity\"}}},"
                + " \"synapses\": {\"m\": {\"type\": \"lse-memory\", \"params\": {\"xi\": [[1, 2, 3]]}}},"
                + " \"connections\": [{\"synapse\": \"m\", \"layers\": [\"v\"]}]}";
        var s = SpecReader.parse(json, dir, "t.json", Registry.standard()).graph().synapses().get("m");
        for (var e : s.hyperparameters().entrySet()) {
            assertEquals(JSON.valueToTree(e.getValue()), dam.at("/" + e.getKey() + "/default"), e.getKey());
        }
        assertEquals(s.scalarParameter("beta"), dam.at("/beta/default").asDouble());
    }
}
