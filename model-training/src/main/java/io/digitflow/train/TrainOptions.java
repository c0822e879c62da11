package io.digitflow.train;

import io.digitflow.config.Flags;
import io.digitflow.config.UsageException;
import io.digitflow.model.Architecture;
import java.util.Set;

/** The training job's options, resolved once from its flags. */
record TrainOptions(
        Architecture architecture,
        int epochs,
        String master,
        int workers,
        boolean local,
        boolean quick,
        int batchSize,
        int roundExamples,
        int validationSize,
        int limit,
        long seed) {

    static final Set<String> VALUED = Set.of("architecture", "epochs", "master", "workers", "batch", "round-examples",
            "validation", "limit", "seed", "models");
    static final Set<String> SWITCHES = Set.of("local", "quick", "help");

    static TrainOptions from(Flags flags) {
        boolean quick = flags.isSet("quick");
        Architecture architecture = Architecture.fromCliName(flags.value("architecture").orElse("cnn"));
        int workers = flags.intValue("workers", 2);
        String master = flags.value("master").orElse("local[" + workers + "]");
        TrainOptions o = new TrainOptions(
                architecture,
                flags.intValue("epochs", quick ? 1 : 8),
                master,
                workers,
                flags.isSet("local"),
                quick,
                flags.intValue("batch", 64),
                flags.intValue("round-examples", 8192),
                flags.intValue("validation", 5000),
                flags.intValue("limit", 0),
                flags.intValue("seed", 42));
        if (o.epochs < 1 || o.workers < 1 || o.batchSize < 1 || o.roundExamples < o.batchSize || o.validationSize < 100) {
            throw new UsageException("--epochs, --workers must be ≥ 1, --round-examples ≥ --batch, --validation ≥ 100");
        }
        return o;
    }

    String describe() {
        return "  architecture " + architecture.cliName() + "\n"
                + "  epochs       " + epochs + (quick ? " (quick)" : "") + "\n"
                + "  mode         " + (local ? "single JVM (--local)" : "Spark " + master + ", " + workers + " workers") + "\n"
                + "  batch        " + batchSize + " per step, " + roundExamples + " examples per worker per round\n"
                + "  validation   " + validationSize + " images held out of the 60,000 training images\n"
                + (limit > 0 ? "  limit        " + limit + " training images\n" : "")
                + "  seed         " + seed;
    }
}
