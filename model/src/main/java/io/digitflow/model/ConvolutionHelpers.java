package io.digitflow.model;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Gives each convolution of a network the helper that runs it on the layouts libnd4j is fast with
 * ({@link FastConvolutionHelper}): forward as libnd4j's own {@code conv2d} op, instead of DL4J's
 * im2col into a permuted view followed by a matrix product, and backward over a contiguous im2col.
 *
 * <p>Why: in a profile of the scoring ceiling ~80% of the native time was that im2col, and the
 * {@code conv2d} op computes the same convolutions 3.3–3.9× faster
 * ({@code ConvolutionPathBenchmark}). DL4J 1.0.0-M2.1 has the helper ({@link MKLDNNConvHelper}:
 * despite its name it calls the plain {@code conv2d} op, which uses oneDNN only in that build of
 * nd4j-native) but never switches it on: its check looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
 * a class M2.1 no longer has. The helper writes into the layer's workspace and keeps one op context,
 * so nothing is allocated outside the inference workspace per call.
 */
public final class ConvolutionHelpers {
    private static final Field HELPER = helperField();

    private ConvolutionHelpers() {
    }

    /**
     * Readies a network for training: the helpers, and DL4J's cache of each layer's forward output,
     * which spares the backward pass from computing every convolution again (DL4J does so by default).
     */
    public static void installForTraining(MultiLayerNetwork network) {
        install(network);
        network.getLayerWiseConfigurations().setCacheMode(CacheMode.DEVICE); // the network's workspaces read this
        network.setCacheMode(CacheMode.DEVICE); // and each layer its own
    }

    /** Installs the helper on every convolution of {@code network} that has none; returns how many. */
    static int install(MultiLayerNetwork network) {
        int installed = 0;
        for (Layer layer : network.getLayers()) {
            if (layer instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class && conv.getHelper() == null) {
                setHelper(conv, new FastConvolutionHelper(new MKLDNNConvHelper(conv.getParam("W").dataType())));
                installed++;
            }
        }
        return installed;
    }

    private static void setHelper(ConvolutionLayer layer, FastConvolutionHelper helper) {
        try {
            HELPER.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set ConvolutionLayer.helper: " + e, e);
        }
    }

    private static Field helperField() {
        try {
            Field field = ConvolutionLayer.class.getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no ConvolutionLayer.helper field: " + e, e);
        }
    }
}
