package io.digitflow.bench;

import io.digitflow.model.NativeThreads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the scoring time went: a profile of {@link CeilingBenchmark} put ~80% of the native time in
 * DL4J's {@code ConvolutionLayer}'s im2col, ~9% in the matrix products (before {@code LayerHelpers}). This times the default
 * {@code cnn}'s two convolutions, batch 256, one native thread, two ways in one JVM, alternately:
 * <ul>
 *   <li>DL4J's way ({@code ConvolutionLayer.preOutput}, M2.1): im2col into a permuted view of its
 *       output (so the reshape to 2-D needs no copy), then one matrix product;</li>
 *   <li>libnd4j's own {@code conv2d} op on the same input and weights.</li>
 * </ul>
 * and checks that both give the same numbers. It also times im2col alone into DL4J's permuted view
 * and into a contiguous {@code [batch, in, kH, kW, outH, outW]} array, the layout the training
 * helper's backward pass uses ({@code FastConvolutionHelper}).
 *
 * <pre>ConvolutionPathBenchmark [ROUNDS]</pre> prints one line per round and the medians.
 */
public final class ConvolutionPathBenchmark {
    private static final int BATCH = 256;
    private static final int KERNEL = 5;
    private static final int CALLS = 20;

    private ConvolutionPathBenchmark() {
    }

    /** One convolution of the network: input [BATCH, channels, side, side], weights [out, channels, 5, 5]. */
    private record Layer(String name, INDArray input, INDArray weights) {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        NativeThreads.limitTo(1); // as each Spark task scores
        Nd4j.getRandom().setSeed(42);
        Layer[] layers = {
            new Layer("conv1 1->20 on 28x28", Nd4j.rand(DataType.FLOAT, BATCH, 1, 28, 28), Nd4j.rand(DataType.FLOAT, 20, 1, KERNEL, KERNEL)),
            new Layer("conv2 20->50 on 12x12", Nd4j.rand(DataType.FLOAT, BATCH, 20, 12, 12), Nd4j.rand(DataType.FLOAT, 50, 20, KERNEL, KERNEL)),
        };
        for (Layer layer : layers) {
            INDArray expected = dl4jWay(layer);
            double diff = expected.sub(conv2dOp(layer)).amaxNumber().doubleValue();
            double scale = expected.amaxNumber().doubleValue();
            System.out.printf("%s: largest difference %.2e (values up to %.1f)%n", layer.name(), diff, scale);
            if (diff > 1e-4 * scale) {
                throw new IllegalStateException(layer.name() + ": the two ways differ by " + diff);
            }
        }
        double[][] dl4j = new double[layers.length][rounds];
        double[][] op = new double[layers.length][rounds];
        // The im2col outputs are allocated once: a fresh 30 MB array per call would time page faults.
        INDArray[] views = new INDArray[layers.length];
        INDArray[] contiguous = new INDArray[layers.length];
        for (int l = 0; l < layers.length; l++) {
            views[l] = columns(layers[l], true);
            contiguous[l] = columns(layers[l], false);
        }
        double[][] viewIm2col = new double[layers.length][rounds];
        double[][] contiguousIm2col = new double[layers.length][rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            for (int l = 0; l < layers.length; l++) {
                Layer layer = layers[l];
                INDArray view = views[l];
                INDArray contiguousColumns = contiguous[l];
                double a = millisPerCall(() -> dl4jWay(layer));
                double b = millisPerCall(() -> conv2dOp(layer));
                double c = millisPerCall(() -> im2col(layer, view));
                double d = millisPerCall(() -> im2col(layer, contiguousColumns));
                if (r >= 0) {
                    dl4j[l][r] = a;
                    op[l][r] = b;
                    viewIm2col[l][r] = c;
                    contiguousIm2col[l][r] = d;
                    System.out.printf("round %d %s: dl4j %.1f ms, conv2d op %.1f ms; im2col into the view %.1f ms, contiguous %.1f ms"
                            + " per batch of %d%n", r + 1, layer.name(), a, b, c, d, BATCH);
                }
            }
        }
        for (int l = 0; l < layers.length; l++) {
            double a = Median.of(dl4j[l]);
            double b = Median.of(op[l]);
            System.out.printf("convolution %s: dl4j %.1f ms, conv2d op %.1f ms per batch (medians of %d): %.2fx%n",
                    layers[l].name(), a, b, rounds, a / b);
            double c = Median.of(viewIm2col[l]);
            double d = Median.of(contiguousIm2col[l]);
            System.out.printf("im2col %s: into DL4J's permuted view %.1f ms, contiguous %.1f ms per batch (medians of %d): %.2fx%n",
                    layers[l].name(), c, d, rounds, c / d);
        }
    }

    /** As ConvolutionLayer.preOutput: output [BATCH, out, outSide, outSide]. */
    static INDArray dl4jWay(Layer layer) {
        INDArray in = layer.input();
        INDArray w = layer.weights();
        long channels = in.size(1);
        long side = in.size(2) - KERNEL + 1;
        long out = w.size(0);
        INDArray col = Nd4j.createUninitialized(DataType.FLOAT, new long[] {BATCH, side, side, channels, KERNEL, KERNEL}, 'c');
        Convolution.im2col(in, KERNEL, KERNEL, 1, 1, 0, 0, 1, 1, false, col.permute(0, 3, 4, 5, 1, 2));
        INDArray rows = col.reshape('c', BATCH * side * side, channels * KERNEL * KERNEL);
        INDArray weights2d = w.reshape('c', out, channels * KERNEL * KERNEL).transpose();
        return rows.mmul(weights2d).reshape('c', BATCH, side, side, out).permute(0, 3, 1, 2);
    }

    /** im2col's output: DL4J's permuted view of [BATCH, outH, outW, in, kH, kW], or a contiguous [BATCH, in, kH, kW, outH, outW]. */
    static INDArray columns(Layer layer, boolean dl4jView) {
        long channels = layer.input().size(1);
        long side = layer.input().size(2) - KERNEL + 1;
        return dl4jView
                ? Nd4j.createUninitialized(DataType.FLOAT, new long[] {BATCH, side, side, channels, KERNEL, KERNEL}, 'c').permute(0, 3, 4, 5, 1, 2)
                : Nd4j.createUninitialized(DataType.FLOAT, new long[] {BATCH, channels, KERNEL, KERNEL, side, side}, 'c');
    }

    static INDArray im2col(Layer layer, INDArray columns) {
        return Convolution.im2col(layer.input(), KERNEL, KERNEL, 1, 1, 0, 0, 1, 1, false, columns);
    }

    /** libnd4j's conv2d op: NCHW input, weights [kH, kW, in, out], no padding. */
    static INDArray conv2dOp(Layer layer) {
        INDArray weights = layer.weights().permute(2, 3, 1, 0).dup('c');
        Conv2DConfig config = Conv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(1).sW(1).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        return Nd4j.exec(new Conv2D(layer.input(), weights, null, config))[0];
    }

    private static double millisPerCall(Runnable call) {
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1e6 / CALLS;
    }
}
