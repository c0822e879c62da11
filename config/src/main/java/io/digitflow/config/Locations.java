package io.digitflow.config;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --inbox} and {@code --models} options, mixed into every command that uses them
 * ({@code @Mixin}); they resolve, with the environment and the defaults, to the {@link Settings}.
 */
public final class Locations {
    @Option(names = "--inbox", paramLabel = "DIR", description = "the watched upload directory (DIGITFLOW_INBOX, default var/inbox)")
    private String inbox;

    @Option(names = "--models", paramLabel = "DIR", description = "the model store (DIGITFLOW_MODELS, default models)")
    private String models;

    public Settings settings() {
        return Settings.resolve(Optional.ofNullable(inbox), Optional.ofNullable(models));
    }
}
