package io.digitflow.model;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Gives a network's layers the helpers that run them as libnd4j ops on the layouts libnd4j is fast
 * with: each convolution {@link FastConvolutionHelper} (forward as libnd4j's own {@code conv2d} op,
 * instead of DL4J's im2col into a permuted view followed by a matrix product; backward over a
 * contiguous im2col), and, for training, each batch normalisation DL4J's {@link MKLDNNBatchNormHelper}
 * (libnd4j's {@code batchnorm} and {@code batchnorm_bp} ops).
 *
 * <p>Why: in a profile of the scoring ceiling ~80% of the native time was that im2col, and the
 * {@code conv2d} op computes the same convolutions 3.3–3.9× faster
 * ({@code ConvolutionPathBenchmark}); a training step runs 2.4× faster with them and the forward cache ({@code TrainingStepBenchmark}).
 * DL4J 1.0.0-M2.1 has the oneDNN helpers (despite their names they call the plain libnd4j ops, which
 * use oneDNN only in that build of nd4j-native) but never switches them on: its check looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 no longer has. The helpers write into
 * the layer's workspaces, so nothing is allocated outside them per call.
 */
public final class LayerHelpers {
    private static final Field CONVOLUTION_HELPER = helperField(ConvolutionLayer.class);
    private static final Field BATCH_NORM_HELPER = helperField(BatchNormalization.class);

    private LayerHelpers() {
    }

    /**
     * Readies a network for training: the helpers, and DL4J's cache of each layer's forward output,
     * which spares the backward pass from computing every convolution again (DL4J does so by default).
     */
    public static void installForTraining(MultiLayerNetwork network) {
        install(network);
        for (Layer layer : network.getLayers()) {
            if (layer instanceof BatchNormalization norm && norm.getHelper() == null) {
                set(BATCH_NORM_HELPER, norm, new MKLDNNBatchNormHelper(norm.getParam("gamma").dataType()));
            }
        }
        useForwardCache(network);
    }

    /** DL4J's cache of each layer's forward output, for the backward pass to reuse. */
    public static void useForwardCache(MultiLayerNetwork network) {
        network.getLayerWiseConfigurations().setCacheMode(CacheMode.DEVICE); // the network's workspaces read this
        network.setCacheMode(CacheMode.DEVICE); // and each layer its own
    }

    /** Installs the convolution helper on every convolution of {@code network} that has none; returns how many. */
    static int install(MultiLayerNetwork network) {
        int installed = 0;
        for (Layer layer : network.getLayers()) {
            if (layer instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class && conv.getHelper() == null) {
                set(CONVOLUTION_HELPER, conv, new FastConvolutionHelper(new MKLDNNConvHelper(conv.getParam("W").dataType())));
                installed++;
            }
        }
        return installed;
    }

    private static void set(Field field, Layer layer, Object helper) {
        try {
            field.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field + ": " + e, e);
        }
    }

    private static Field helperField(Class<?> layerClass) {
        try {
            Field field = layerClass.getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no " + layerClass.getSimpleName() + ".helper field: " + e, e);
        }
    }
}
