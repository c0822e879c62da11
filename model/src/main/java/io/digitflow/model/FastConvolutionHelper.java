package io.digitflow.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a DL4J convolution layer (NCHW) on the layouts libnd4j is fast with.
 *
 * <p>Forward: libnd4j's {@code conv2d} op, through DL4J's own {@link MKLDNNConvHelper}.
 * Backward: im2col into a contiguous {@code [batch, in, kH, kW, outH, outW]} array, one matrix
 * product per example for the weight gradient and for the input gradient's columns, and col2im.
 * Why: DL4J's own path writes im2col into a permuted view of {@code [batch, outH, outW, in, kH, kW]},
 * 4.8× (first convolution of the default cnn) and 6.4× (second) slower than into the contiguous
 * layout ({@code ConvolutionPathBenchmark}), and does it twice a step; in a profile of training that
 * im2col was ~60% of a step. libnd4j's {@code conv2d_bp}, which DL4J's helper runs for the backward
 * pass, took longer than DL4J's own backward pass in the same profile.
 */
final class FastConvolutionHelper implements ConvolutionHelper {
    private final MKLDNNConvHelper forward;

    FastConvolutionHelper(MKLDNNConvHelper forward) {
        this.forward = forward;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
            AlgoMode mode, FwdAlgo algo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaces) {
        return forward.preOutput(input, weights, bias, kernel, strides, pad, mode, algo, convolutionMode, dilation, format, workspaces);
    }

    @Override
    public INDArray activate(INDArray z, IActivation activation, boolean training) {
        return forward.activate(z, activation, training);
    }

    /** {@code delta} is the loss's gradient at the layer's pre-activation output, [batch, out, outH, outW]. */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation activation,
            AlgoMode mode, BwdFilterAlgo filterAlgo, BwdDataAlgo dataAlgo, ConvolutionMode convolutionMode, int[] dilation,
            CNN2DFormat format, LayerWorkspaceMgr workspaces) {
        if (format != CNN2DFormat.NCHW) {
            return null; // DL4J runs its own path
        }
        long batch = input.size(0);
        long outChannels = weights.size(0);
        long patch = weights.size(1) * kernel[0] * kernel[1];
        long positions = delta.size(2) * delta.size(3);

        INDArray columns = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                new long[] {batch, weights.size(1), kernel[0], kernel[1], delta.size(2), delta.size(3)}, 'c');
        Convolution.im2col(input, kernel[0], kernel[1], strides[0], strides[1], pad[0], pad[1], dilation[0], dilation[1],
                false, columns);
        INDArray columns3d = columns.reshape('c', batch, patch, positions);
        INDArray delta3d = delta.reshape('c', batch, outChannels, positions); // a copy only if delta is not c-contiguous
        INDArray weights2d = weights.reshape('c', outChannels, patch);

        // dW[out, patch] = sum over examples of delta[out, pos] · columns[patch, pos]ᵀ, written as its
        // transpose (an f-order view of the c-order gradient): columns · deltaᵀ.
        INDArray weightGradient = Shape.newShapeNoCopy(weightGradView, new long[] {outChannels, patch}, false).transpose();
        for (long b = 0; b < batch; b++) {
            Nd4j.gemm(columns3d.slice(b), delta3d.slice(b), weightGradient, false, true, 1.0, b == 0 ? 0.0 : 1.0);
        }
        biasGradView.assign(delta3d.sum(0, 2).reshape(biasGradView.shape()));

        // The input's gradient in column form, per example: weightsᵀ · delta (as its transpose deltaᵀ · weights
        // into the same columns array), then summed back onto the image.
        for (long b = 0; b < batch; b++) {
            Nd4j.gemm(delta3d.slice(b), weights2d, columns3d.slice(b).transpose(), true, false, 1.0, 0.0);
        }
        INDArray inputGradient = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        Convolution.col2im(columns, inputGradient, strides[0], strides[1], pad[0], pad[1], (int) input.size(2),
                (int) input.size(3), dilation[0], dilation[1]);

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return forward.helperMemoryUse();
    }
}
