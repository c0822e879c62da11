package io.digitflow.train;

import io.digitflow.model.Architecture;

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
