package io.digitflow.train;

import io.digitflow.model.Architecture;
import java.util.LinkedHashMap;
import java.util.Map;

/** The training job's options, resolved once from its flags ({@link TrainJob}). */
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

    /** Every parameter of the run, recorded in the model's metadata. */
    Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("architecture", architecture.cliName());
        p.put("epochs", epochs);
        p.put("master", local ? "local" : master);
        p.put("workers", local ? 1 : workers);
        p.put("quick", quick);
        p.put("batch", batchSize);
        p.put("round_examples", roundExamples);
        p.put("validation", validationSize);
        p.put("limit", limit);
        p.put("seed", seed);
        return p;
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
