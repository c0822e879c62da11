package io.digitflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path root;

    private static MultiLayerNetwork network(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(Architecture.SOFTMAX.configuration(seed, 1));
        net.init();
        return net;
    }

    private static ModelMetadata metadata(String version) {
        return new ModelMetadata(version, "2026-11-24T00:00:00Z", "softmax", 1, 2, 1.5, 0.9, 0.91, "abc", "local[2]", 7,
                List.of(new ModelMetadata.Round(1, 1, 100, 1.0, 0.5, 0.9)), java.util.Map.of("epochs", 1), "0123abc",
                java.util.Map.of("mnist", "abc"), null, null);
    }

    @Test
    void publishedVersionLoadsWithItsMetadataAndBecomesLatest() {
        ModelStore store = new ModelStore(root);
        assertTrue(store.latestVersion().isEmpty());
        String version = store.newVersion(Architecture.SOFTMAX);
        MultiLayerNetwork net = network(1);
        store.publish(net, metadata(version));

        assertEquals(version, store.latestVersion().orElseThrow());
        ModelStore.LoadedModel loaded = store.loadLatest();
        assertEquals(metadata(version), loaded.metadata());
        float[] input = new float[784];
        input[300] = 1f;
        float[] expected = new DigitClassifier(version, net).probabilities(input, 1)[0];
        float[] actual = loaded.classifier().probabilities(input, 1)[0];
        for (int i = 0; i < 10; i++) {
            assertEquals(expected[i], actual[i], 1e-6);
        }
        assertEquals(List.of(version), store.versions());
    }

    @Test
    void latestChangesAreRecordedAndRollbackGoesBackAlongThem() {
        ModelStore store = new ModelStore(root);
        String first = "20261201-000000-softmax";
        String second = "20261201-000001-softmax";
        String third = "20261201-000002-softmax";
        store.publish(network(1), metadata(first));
        store.publish(network(2), metadata(second));
        store.publish(network(3), metadata(third), false); // trained, not promoted
        assertEquals(second, store.latestVersion().orElseThrow());
        assertEquals(List.of(first, second, third), store.list().stream().map(ModelMetadata::version).toList());

        store.promote(third);
        assertEquals(third, store.latestVersion().orElseThrow());
        assertEquals(second, store.rollback());
        assertEquals(second, store.latestVersion().orElseThrow());
        assertEquals(List.of("trained", "trained", "promoted", "rolled back from " + third),
                store.history().stream().map(ModelStore.Change::reason).toList());
        assertEquals(first, store.rollback(), "a second rollback goes one further back");
        assertThrows(ModelException.class, () -> store.promote("no-such-version"));
    }

    @Test
    void aConcurrentReaderNeverSeesAHalfWrittenVersion() throws Exception {
        ModelStore store = new ModelStore(root);
        AtomicBoolean publishing = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (publishing.get()) {
                store.latestVersion().ifPresent(v -> {
                    try {
                        seen.add(store.load(v).version());
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                });
            }
        });
        reader.start();
        for (int i = 0; i < 6; i++) {
            String version = "2026112" + i + "-000000-softmax";
            store.publish(network(i), metadata(version));
        }
        publishing.set(false);
        reader.join();
        assertTrue(failures.isEmpty(), () -> "reader saw a broken version: " + failures.get(0));
        assertFalse(seen.isEmpty(), "the reader must have loaded versions while they were being published");
        try (var files = Files.list(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".staging")), "no staging leftovers");
        }
    }

    @Test
    void corruptNetworkFileNamesTheFile() throws Exception {
        ModelStore store = new ModelStore(root);
        store.publish(network(1), metadata("v1"));
        Path file = root.resolve("v1").resolve(ModelStore.NETWORK_FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        ModelException e = assertThrows(ModelException.class, () -> store.load("v1"));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void missingFilesAndVersionsAreClearErrors() throws Exception {
        ModelStore store = new ModelStore(root);
        ModelException empty = assertThrows(ModelException.class, store::loadLatest);
        assertTrue(empty.getMessage().contains("train --quick"), empty.getMessage());

        store.publish(network(1), metadata("v1"));
        Files.delete(root.resolve("v1").resolve(ModelStore.NETWORK_FILE));
        ModelException missing = assertThrows(ModelException.class, () -> store.load("v1"));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

        ModelException unknown = assertThrows(ModelException.class, () -> store.load("v9"));
        assertTrue(unknown.getMessage().contains("v9") && unknown.getMessage().contains("v1"), unknown.getMessage());
        assertThrows(ModelException.class, () -> store.load("../etc"));
    }
}
