package io.digitflow.train;

import io.digitflow.config.CommandRunner;
import io.digitflow.config.Flags;
import io.digitflow.config.Settings;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.ModelStore;
import java.util.Set;

/** {@code bin/digitflow evaluate [--model VERSION]}: one JSON object on stdout (SPEC.md); the rest on stderr. */
public final class EvaluateCommand {
    static final String USAGE = """
            usage: bin/digitflow evaluate [--model VERSION] [--models DIR]

            Scores the 10,000 MNIST test images with a model version (default: LATEST) and prints
            {"model_version":..,"accuracy":..,"per_class":[..10],"confusion":[[..]]}""";

    private EvaluateCommand() {
    }

    public static void main(String[] args) {
        CommandRunner.run(args, USAGE, Set.of("model", "models"), Set.of(), EvaluateCommand::evaluate);
    }

    static void evaluate(Flags flags) {
        Settings settings = Settings.resolve(flags);
        System.err.println("digitflow evaluate\n" + settings.describe());
        ModelStore store = new ModelStore(settings.models());
        ModelStore.LoadedModel model = flags.value("model").map(store::load).orElseGet(store::loadLatest);
        System.err.println("  model       " + model.version());
        Evaluation evaluation = Evaluation.of(model.classifier(), Mnist.under(settings.home()).load(Mnist.Split.TEST));
        System.out.println(evaluation.toJson());
    }
}
