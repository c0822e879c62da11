package io.digitflow.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The model store (docs/contract.md): {@code <root>/<version>/} holding {@value #NETWORK_FILE} and
 * {@value #METADATA_FILE}, and {@code <root>/LATEST} naming the version in use.
 *
 * <p>Publishing is two renames: the version directory is written under a hidden temporary name
 * and renamed into place, then {@code LATEST} is written to a temporary file and renamed over the
 * old one. A reader therefore sees either no version or a complete one, and LATEST never names a
 * version that is not complete. Every change of LATEST is appended to {@value #HISTORY} (time,
 * version, why), which is what {@link #rollback()} goes back along.
 */
public final class ModelStore {
    public static final String NETWORK_FILE = "network.zip";
    public static final String METADATA_FILE = "metadata.json";
    public static final String LATEST = "LATEST";
    public static final String HISTORY = "HISTORY";
    private static final String ROLLED_BACK = "rolled back from";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    public ModelStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A model version read from the store: metadata and the network file's bytes. */
    public record LoadedModel(ModelMetadata metadata, byte[] networkFile) {
        public String version() {
            return metadata.version();
        }

        public DigitClassifier classifier() {
            return DigitClassifier.fromBytes(version(), networkFile);
        }

        /** The network itself, to train further from (a fresh copy each call). */
        public MultiLayerNetwork network() {
            try {
                return ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(networkFile), false);
            } catch (IOException e) {
                throw new ModelException("model " + version() + ": cannot restore its network (" + e.getMessage() + ")", e);
            }
        }
    }

    /** The version LATEST names, if any. */
    public Optional<String> latestVersion() {
        try {
            String v = Files.readString(root.resolve(LATEST), StandardCharsets.UTF_8).trim();
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve(LATEST), e);
        }
    }

    /** Complete versions, oldest first (version names sort by time). */
    public List<String> versions() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(p -> Files.isRegularFile(p.resolve(METADATA_FILE)))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    public LoadedModel loadLatest() {
        String version = latestVersion().orElseThrow(() -> new ModelException(
                "the model store " + root + " has no model yet (no " + LATEST + " file): run `bin/digitflow train --quick`"));
        return load(version);
    }

    /** Loads a version and checks that its network file restores. */
    public LoadedModel load(String version) {
        Path dir = root.resolve(version).normalize();
        if (!dir.getParent().equals(root.normalize()) || !Files.isDirectory(dir)) {
            throw new ModelException("model version '" + version + "' is not in " + root + " (available: " + versions() + ")");
        }
        Path network = dir.resolve(NETWORK_FILE);
        Path metadataFile = dir.resolve(METADATA_FILE);
        if (!Files.isRegularFile(network)) {
            throw new ModelException("model " + version + " has no network file: " + network + " is missing");
        }
        ModelMetadata metadata;
        try {
            metadata = JSON.readValue(metadataFile.toFile(), ModelMetadata.class);
        } catch (IOException e) {
            throw new ModelException("model " + version + ": " + metadataFile + " is missing or not valid JSON (" + e.getMessage() + ")", e);
        }
        LoadedModel model;
        try {
            model = new LoadedModel(metadata, Files.readAllBytes(network));
        } catch (IOException e) {
            throw new ModelException("cannot read " + network + ": " + e.getMessage(), e);
        }
        try {
            model.classifier(); // fail here, naming the file, rather than in a Spark task later
        } catch (ModelException e) {
            throw new ModelException("model " + version + ": " + network + " is corrupt or not a DL4J network", e.getCause());
        }
        return model;
    }

    /** A fresh, sortable version name: UTC time and architecture, e.g. {@code 20261124-153012-cnn}. */
    public String newVersion(Architecture architecture) {
        String base = ZonedDateTime.now(ZoneOffset.UTC).format(VERSION_TIME) + "-" + architecture.cliName();
        String version = base;
        for (int i = 2; Files.exists(root.resolve(version)); i++) {
            version = base + "-" + i;
        }
        return version;
    }

    /** Writes the version atomically, then points LATEST at it. */
    public void publish(MultiLayerNetwork network, ModelMetadata metadata) {
        publish(network, metadata, true);
    }

    /** Writes the version atomically; points LATEST at it only when {@code makeLatest}. */
    public void publish(MultiLayerNetwork network, ModelMetadata metadata, boolean makeLatest) {
        String version = metadata.version();
        Path target = root.resolve(version);
        Path staging = root.resolve(".staging-" + version + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            ModelSerializer.writeModel(network, staging.resolve(NETWORK_FILE).toFile(), false);
            JSON.writeValue(staging.resolve(METADATA_FILE).toFile(), metadata);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new ModelException("model version " + version + " already exists in " + root);
            }
            if (makeLatest) {
                setLatest(version, "trained");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish model " + version + " to " + root, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Metadata of every complete version, oldest first. */
    public List<ModelMetadata> list() {
        return versions().stream().map(this::metadata).toList();
    }

    /** A version's metadata, without loading its network. */
    public ModelMetadata metadata(String version) {
        Path file = root.resolve(version).resolve(METADATA_FILE);
        try {
            return JSON.readValue(file.toFile(), ModelMetadata.class);
        } catch (IOException e) {
            throw new ModelException("model " + version + ": " + file + " is missing or not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    /** One change of LATEST, as {@value #HISTORY} records it. */
    public record Change(Instant at, String version, String reason) {
    }

    /** Every change of LATEST, oldest first. */
    public List<Change> history() {
        Path file = root.resolve(HISTORY);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(l -> l.split(" ", 3))
                    .map(f -> new Change(Instant.parse(f[0]), f[1], f.length > 2 ? f[2] : ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Makes an existing version LATEST. */
    public void promote(String version) {
        if (!versions().contains(version)) {
            throw new ModelException("model version '" + version + "' is not in " + root + " (available: " + versions() + ")");
        }
        try {
            setLatest(version, "promoted");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot promote " + version, e);
        }
    }

    /**
     * Points LATEST back at the version it named before the current one, as an undo: a rollback
     * undoes the change that made the current version LATEST, and a second one the change before.
     * Returns the version LATEST names now.
     */
    public String rollback() {
        String current = latestVersion().orElseThrow(() -> new ModelException("the model store " + root + " has no LATEST to roll back"));
        java.util.Deque<String> stack = new java.util.ArrayDeque<>();
        for (Change c : history()) {
            if (c.reason().startsWith(ROLLED_BACK)) {
                stack.pollLast();
            } else {
                stack.addLast(c.version());
            }
        }
        if (!current.equals(stack.peekLast())) {
            stack.addLast(current); // LATEST was changed by hand, outside the history: undo that first
        }
        stack.pollLast();
        List<String> complete = versions();
        while (!stack.isEmpty() && !complete.contains(stack.peekLast())) {
            stack.pollLast(); // deleted since
        }
        String target = stack.peekLast();
        if (target == null) {
            throw new ModelException("no earlier LATEST than " + current + " is recorded in " + root.resolve(HISTORY));
        }
        try {
            setLatest(target, ROLLED_BACK + " " + current);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll back to " + target, e);
        }
        return target;
    }

    /** Points LATEST at an existing version (write a temporary file, rename over LATEST) and records why. */
    public void setLatest(String version, String reason) throws IOException {
        if (!Files.isRegularFile(root.resolve(version).resolve(METADATA_FILE))) {
            throw new ModelException("cannot make " + version + " the latest model: it is not a complete version in " + root);
        }
        Path tmp = root.resolve("." + LATEST + "-" + UUID.randomUUID());
        Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, root.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path history = root.resolve(HISTORY);
        Path next = root.resolve("." + HISTORY + "-" + UUID.randomUUID());
        String old = Files.isRegularFile(history) ? Files.readString(history, StandardCharsets.UTF_8) : "";
        Files.writeString(next, old + Instant.now() + " " + version + " " + reason + "\n", StandardCharsets.UTF_8);
        Files.move(next, history, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover hidden staging directory is harmless: versions() skips it
        }
    }
}
