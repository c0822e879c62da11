package io.digitflow.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a trained network into its inference form: each batch normalisation that follows an
 * identity-activated convolution is folded into that convolution's weights and bias, and the
 * layer disappears. At inference a batch normalisation is a fixed per-channel scale and shift,
 * so the outputs are the same (to float rounding).
 *
 * <p>Why: DL4J 1.0.0-M2.1's batch normalisation allocates native arrays outside the inference
 * workspace on every call, freed only when the garbage collector finds their Java objects; under
 * sustained scoring the process grew by gigabytes between collections (docs/benchmarks.md,
 * memory). Without the layer nothing is allocated per call, and two passes over the activations
 * are saved.
 */
final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** The network with every foldable batch normalisation folded; the network itself if it has none. */
    static MultiLayerNetwork fold(MultiLayerNetwork trained) {
        List<NeuralNetConfiguration> confs = trained.getLayerWiseConfigurations().getConfs();
        boolean[] folded = new boolean[confs.size() + 1]; // one past the end: nothing follows the last layer
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < confs.size(); i++) {
            folded[i] = foldable(confs, i);
            if (!folded[i]) {
                kept.add(i);
            }
        }
        if (kept.size() == confs.size()) {
            return trained;
        }
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .dataType(trained.getLayerWiseConfigurations().getDataType())
                .list();
        for (int i : kept) {
            layers.layer(confs.get(i).getLayer().clone());
        }
        MultiLayerConfiguration conf = layers.setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork inference = new MultiLayerNetwork(conf);
        inference.init();
        for (int k = 0; k < kept.size(); k++) {
            int i = kept.get(k);
            Layer target = inference.getLayer(k);
            for (Map.Entry<String, INDArray> p : trained.getLayer(i).paramTable().entrySet()) {
                target.setParam(p.getKey(), p.getValue().dup());
            }
            if (folded[i + 1]) {
                foldInto(target, trained.getLayer(i + 1), (BatchNormalization) confs.get(i + 1).getLayer());
            }
        }
        return inference;
    }

    /** A batch normalisation right after a convolution with a bias and no activation of its own. */
    private static boolean foldable(List<NeuralNetConfiguration> confs, int i) {
        if (i == 0 || !(confs.get(i).getLayer() instanceof BatchNormalization)) {
            return false;
        }
        return confs.get(i - 1).getLayer() instanceof ConvolutionLayer conv
                && conv.getActivationFn() instanceof ActivationIdentity
                && conv.hasBias();
    }

    /** W' = W · γ/σ per output channel, b' = (b − μ) · γ/σ + β. */
    private static void foldInto(Layer conv, Layer batchNorm, BatchNormalization bn) {
        float[] mean = batchNorm.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dup().toFloatVector();
        float[] std = standardDeviations(batchNorm, bn);
        float[] gamma = bn.isLockGammaBeta() ? filled(std.length, bn.getGamma())
                : batchNorm.getParam(BatchNormalizationParamInitializer.GAMMA).dup().toFloatVector();
        float[] beta = bn.isLockGammaBeta() ? filled(std.length, bn.getBeta())
                : batchNorm.getParam(BatchNormalizationParamInitializer.BETA).dup().toFloatVector();
        float[] scale = new float[std.length];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = gamma[c] / std[c];
        }
        INDArray w = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        long[] shape = w.shape(); // [out channels, in channels, kernel h, kernel w]
        float[][] rows = w.dup('c').reshape('c', shape[0], -1).toFloatMatrix();
        INDArray bias = conv.getParam(ConvolutionParamInitializer.BIAS_KEY);
        float[] b = bias.dup().toFloatVector();
        float[] flat = new float[rows.length * rows[0].length];
        for (int c = 0; c < rows.length; c++) {
            for (int j = 0; j < rows[c].length; j++) {
                flat[c * rows[c].length + j] = rows[c][j] * scale[c];
            }
            b[c] = (b[c] - mean[c]) * scale[c] + beta[c];
        }
        conv.setParam(ConvolutionParamInitializer.WEIGHT_KEY, Nd4j.create(flat, shape, 'c'));
        conv.setParam(ConvolutionParamInitializer.BIAS_KEY, Nd4j.create(b, bias.shape(), 'c'));
    }

    /** σ = √(var + ε), or 10^log10σ where the layer stores the log (DL4J's default). */
    private static float[] standardDeviations(Layer batchNorm, BatchNormalization bn) {
        if (bn.isUseLogStd()) {
            float[] log10 = batchNorm.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).dup().toFloatVector();
            float[] std = new float[log10.length];
            for (int c = 0; c < std.length; c++) {
                std[c] = (float) Math.pow(10, log10[c]);
            }
            return std;
        }
        float[] var = batchNorm.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).dup().toFloatVector();
        float[] std = new float[var.length];
        for (int c = 0; c < std.length; c++) {
            std[c] = (float) Math.sqrt(var[c] + bn.getEps());
        }
        return std;
    }

    private static float[] filled(int n, double value) {
        float[] a = new float[n];
        Arrays.fill(a, (float) value);
        return a;
    }
}
