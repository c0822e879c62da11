package io.digitflow.preprocess;

/**
 * Either the network input (784 floats in [0,1], row-major 28×28, ink = 1, as MNIST's byte/255)
 * or the reason the image was refused with a human-readable detail.
 */
public record PreprocessResult(float[] pixels, RejectReason reason, String detail) {

    public static PreprocessResult ok(float[] pixels) {
        return new PreprocessResult(pixels, null, null);
    }

    public static PreprocessResult rejected(RejectReason reason, String detail) {
        return new PreprocessResult(null, reason, detail);
    }

    public boolean isOk() {
        return pixels != null;
    }
}
