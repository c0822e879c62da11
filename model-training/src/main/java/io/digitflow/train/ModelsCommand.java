package io.digitflow.train;

import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Version;
import io.digitflow.model.ModelMetadata;
import io.digitflow.model.ModelStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bin/digitflow models list|promote VERSION|rollback}: the model registry over the model store. */
@Command(name = "digitflow models", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The model versions in the store, and which one is LATEST.",
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class})
public final class ModelsCommand implements Runnable {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public static void main(String[] args) {
        Cli.main(new ModelsCommand(), args);
    }

    @Override
    public void run() {
        new ListVersions().run(); // `models` alone lists
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every version: architecture, accuracy, created, in use.")
    static final class ListVersions implements Runnable {
        @Mixin
        Locations locations = new Locations();

        @Override
        public void run() {
            ModelStore store = new ModelStore(locations.settings().models());
            Optional<String> latest = store.latestVersion();
            Optional<LabelledUploads.Live> live = LabelledUploads.live(locations.settings());
            // UPLOADS: how often this version's answers agreed with the digit people said, over the labelled uploads it scored.
            System.out.printf("%-28s %-9s %9s %16s  %-20s %s%n", "VERSION", "ARCH", "MNIST", "UPLOADS", "CREATED", "IN USE");
            for (ModelMetadata m : store.list()) {
                System.out.printf("%-28s %-9s %8.2f%% %16s  %-20s %s%n", m.version(), m.architecture(), 100 * m.testAccuracy(),
                        live.map(l -> l.accuracy(m.version())).orElse("?"), created(m),
                        latest.filter(m.version()::equals).map(v -> "LATEST").orElse(""));
            }
        }

        private static String created(ModelMetadata m) {
            try {
                return CREATED.format(Instant.parse(m.createdAt()));
            } catch (RuntimeException e) {
                return String.valueOf(m.createdAt());
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Makes VERSION the model in use (LATEST).")
    static final class Promote implements Runnable {
        @Parameters(paramLabel = "VERSION")
        String version;

        @Mixin
        Locations locations = new Locations();

        @Override
        public void run() {
            ModelStore store = new ModelStore(locations.settings().models());
            store.promote(version);
            System.out.println("LATEST is now " + version + " (the stream switches to it before its next batch)");
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Makes the version LATEST named before the current one LATEST again.")
    static final class Rollback implements Runnable {
        @Mixin
        Locations locations = new Locations();

        @Override
        public void run() {
            ModelStore store = new ModelStore(locations.settings().models());
            String from = store.latestVersion().orElse("(none)");
            String to = store.rollback();
            System.out.println("LATEST is back to " + to + " (was " + from + ")");
        }
    }
}
