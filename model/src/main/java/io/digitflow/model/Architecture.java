package io.digitflow.model;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The networks digitflow can train, chosen with {@code train --architecture}. Input: 784 floats (28×28). */
public enum Architecture {
    /**
     * The default: LeNet-5 sized (≈2.3 M multiply-adds per image) with batch normalisation, which
     * lets Adam take large steps: the best accuracy per CPU-second we measured on 2 cores.
     */
    CNN("cnn", true) {
        @Override
        public MultiLayerConfiguration configuration(long seed, int epochs) {
            return new NeuralNetConfiguration.Builder()
                    .seed(seed)
                    // Large steps while far from the optimum, then a geometric decay that reaches the
                    // same final rate (≈ 1/12 of the first) whatever the number of epochs.
                    .updater(new Adam(new ExponentialSchedule(ScheduleType.EPOCH, 2e-3, epochDecay(epochs))))
                    .weightInit(WeightInit.RELU)
                    .l2(1e-4)
                    .list()
                    .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(20).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new ActivationLayer(Activation.RELU))
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new ActivationLayer(Activation.RELU))
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10).activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(28, 28, 1))
                    .build();
        }
    },

    /**
     * The original system's CNN (TensorFlow's "Deep MNIST" tutorial): two 5×5 'same' convolutions
     * of 32 and 64 channels, each max-pooled, dense 1024, dropout 0.5, softmax. ≈14 M multiply-adds.
     */
    SEED_CNN("seed-cnn", true) {
        @Override
        public MultiLayerConfiguration configuration(long seed, int epochs) {
            return new NeuralNetConfiguration.Builder()
                    .seed(seed)
                    .updater(new Adam(1e-3))
                    .weightInit(WeightInit.RELU)
                    .convolutionMode(ConvolutionMode.Same)
                    .list()
                    .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(32).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(1024).activation(Activation.RELU).dropOut(0.5).build())
                    .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10).activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(28, 28, 1))
                    .build();
        }
    },

    /** The original system's softmax-regression baseline: one dense softmax layer on the pixels. */
    SOFTMAX("softmax", false) {
        @Override
        public MultiLayerConfiguration configuration(long seed, int epochs) {
            return new NeuralNetConfiguration.Builder()
                    .seed(seed)
                    .updater(new Adam(5e-3))
                    .weightInit(WeightInit.XAVIER)
                    .list()
                    .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(784).nOut(10).activation(Activation.SOFTMAX).build())
                    .build();
        }
    };

    private final String cliName;
    private final boolean augmentedTraining;

    Architecture(String cliName, boolean augmentedTraining) {
        this.cliName = cliName;
        this.augmentedTraining = augmentedTraining;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * Whether training distorts the images (shifts, rotation, scale, stroke). The CNNs learn the
     * invariances from it; a linear model cannot represent them, and the distortions only blur its
     * ten templates (softmax measured 89.4% on the test set with augmentation, the original
     * system's 92% needs clean digits).
     */
    public boolean augmentedTraining() {
        return augmentedTraining;
    }

    /** The network to train for {@code epochs} passes (the learning-rate schedule spans them). */
    public abstract MultiLayerConfiguration configuration(long seed, int epochs);

    /** What the learning rate of the last epoch is, as a share of the first's: ×0.7 per epoch over 8 epochs. */
    static final double FINAL_RATE_SHARE = Math.pow(0.7, 7);

    /** Per-epoch factor that brings the rate from its start to {@link #FINAL_RATE_SHARE} in its last epoch. */
    static double epochDecay(int epochs) {
        return epochs <= 1 ? 1.0 : Math.pow(FINAL_RATE_SHARE, 1.0 / (epochs - 1));
    }

    public static Architecture fromCliName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.cliName.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture '" + name + "' (choose cnn, seed-cnn or softmax)"));
    }
}
