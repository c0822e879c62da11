package io.digitflow.train;

import io.digitflow.model.NativeThreads;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous data-parallel training on Spark. Each round broadcasts the parameters and the
 * updater state, every task fits its own slice of the round's examples on its own copy of the
 * network, and {@code treeAggregate} sums the results so the driver can average them. Averaging
 * the Adam moments along with the weights keeps the optimiser's state consistent across rounds
 * (averaging weights alone restarts Adam's estimates every round).
 */
final class SparkRoundRunner implements RoundRunner {
    private final JavaSparkContext sc;
    private final int workers;
    private final int batchSize;
    private final boolean augment;
    private final Broadcast<TrainingData> data;
    private final Broadcast<String> configuration;

    SparkRoundRunner(JavaSparkContext sc, int workers, TrainingData data, MultiLayerConfiguration configuration, int batchSize,
            boolean augment) {
        this.sc = sc;
        this.workers = workers;
        this.batchSize = batchSize;
        this.augment = augment;
        this.data = sc.broadcast(data);
        this.configuration = sc.broadcast(configuration.toJson());
    }

    /** One task's input: its slice and where the optimiser is. */
    record Task(int worker, int[] indices, long seed, int iteration, int epoch, boolean augment) implements java.io.Serializable {
    }

    @Override
    public double run(MultiLayerNetwork net, int[][] slices, long roundSeed) {
        Broadcast<float[]> parameters = sc.broadcast(net.params().toFloatVector());
        INDArray updaterView = net.getUpdater().getStateViewArray();
        Broadcast<float[]> updaterState = sc.broadcast(updaterView == null ? null : updaterView.toFloatVector());
        List<Task> tasks = new ArrayList<>();
        for (int k = 0; k < slices.length; k++) {
            tasks.add(new Task(k, slices[k], roundSeed + k, net.getIterationCount(), net.getEpochCount(), augment));
        }
        Broadcast<TrainingData> trainingData = data;
        Broadcast<String> conf = configuration;
        int batch = batchSize;
        WorkerResult sum = sc.parallelize(tasks, tasks.size())
                .map(task -> trainSlice(task, conf.value(), parameters.value(), updaterState.value(), trainingData.value(), batch))
                .treeAggregate(WorkerResult.EMPTY, WorkerResult::plus, WorkerResult::plus);
        parameters.destroy();
        updaterState.destroy();
        // In local mode the tasks ran in this JVM: give the driver's validation pass every core again.
        NativeThreads.useAllCores();

        net.setParams(Nd4j.create(WorkerResult.mean(sum.parameters(), sum.workers())));
        if (updaterView != null) {
            updaterView.assign(Nd4j.create(WorkerResult.mean(sum.updaterState(), sum.workers())));
        }
        // Every worker took the same number of steps; the driver's network takes their place.
        int steps = (slices[0].length + batchSize - 1) / batchSize;
        net.setIterationCount(net.getIterationCount() + steps);
        return sum.lossSum();
    }

    /** Runs in a Spark task. One network per task thread, reused across rounds. */
    static WorkerResult trainSlice(Task task, String conf, float[] parameters, float[] updaterState,
            TrainingData data, int batchSize) {
        TaskContext context = TaskContext.get();
        NativeThreads.limitTo(context == null ? Runtime.getRuntime().availableProcessors() : context.cpus());
        MultiLayerNetwork net = WorkerNetworks.forCurrentThread(conf);
        net.setParams(Nd4j.create(parameters));
        INDArray view = net.getUpdater().getStateViewArray();
        if (view != null && updaterState != null) {
            view.assign(Nd4j.create(updaterState));
        }
        net.setIterationCount(task.iteration());
        net.setEpochCount(task.epoch());
        double loss = MinibatchTrainer.fit(net, data, task.indices(), batchSize, task.augment(), task.seed());
        INDArray after = net.getUpdater().getStateViewArray();
        return new WorkerResult(net.params().toFloatVector(), after == null ? null : after.toFloatVector(), loss, 1);
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public String mode() {
        return sc.master(); // spark-submit's --master wins over --master of the job
    }

    @Override
    public String describe() {
        return "Spark " + sc.master() + ", " + workers + " workers (synchronous parameter + updater averaging)";
    }

    @Override
    public void close() {
        data.destroy();
        configuration.destroy();
    }
}
