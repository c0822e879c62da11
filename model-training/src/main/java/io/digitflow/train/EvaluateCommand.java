package io.digitflow.train;

import io.digitflow.config.Cli;
import io.digitflow.config.Locations;
import io.digitflow.config.Settings;
import io.digitflow.config.Version;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelStore;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code bin/digitflow evaluate [--model VERSION]}: one JSON object on stdout; the rest on stderr. */
@Command(name = "digitflow evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Scores the 10,000 MNIST test images with a model version and prints",
            "{\"model_version\":..,\"accuracy\":..,\"per_class\":[..10],\"confusion\":[[..]]}"})
public final class EvaluateCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);
    @Option(names = "--model", paramLabel = "VERSION", description = "the model version (default: the one LATEST names)")
    String model;

    @Mixin
    Locations locations;

    public static void main(String[] args) {
        Cli.main(new EvaluateCommand(), args);
    }

    @Override
    public void run() {
        Settings settings = locations.settings();
        LOG.info("digitflow evaluate\n{}", settings.describe());
        ModelStore store = new ModelStore(settings.models());
        ModelStore.LoadedModel loaded = Optional.ofNullable(model).map(store::load).orElseGet(store::loadLatest);
        LOG.info("model {}", loaded.version());
        Evaluation evaluation = Evaluation.of(loaded.classifier(), Mnist.under(settings.home()).load(Mnist.Split.TEST));
        // The labelled uploads' held-out part: the same images the trainer never trains or selects on.
        String uploads = LabelledUploads.all(settings).map(Feedback::test).filter(t -> !t.isEmpty())
                .map(t -> String.format(java.util.Locale.ROOT, ",\"uploads\":{\"held_out\":%d,\"accuracy\":%.4f}", t.size(),
                        Evaluation.of(loaded.classifier(), Feedback.images(t)).accuracy()))
                .orElse("");
        String json = evaluation.toJson();
        System.out.println(json.substring(0, json.length() - 1) + uploads + "}");
    }
}
