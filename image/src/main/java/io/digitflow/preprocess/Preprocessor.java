package io.digitflow.preprocess;

/**
 * Image bytes to the network's input, the way MNIST was made: decode, greyscale (alpha composited),
 * isolate the ink (polarity, noise, specks, crop), fit into 20 pixels and centre by mass in 28×28.
 * The single implementation used by training, batch scoring, the stream and the web check.
 * Stateless and thread-safe; never throws for bad input.
 */
public final class Preprocessor {
    public static final int SIDE = MnistFit.FIELD;
    public static final int PIXELS = SIDE * SIDE;

    private Preprocessor() {
    }

    public static PreprocessResult preprocess(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return PreprocessResult.rejected(RejectReason.NOT_AN_IMAGE, "the file is empty");
        }
        try {
            GreyImage grey = Greyscale.of(ImageDecoder.decode(bytes));
            return PreprocessResult.ok(MnistFit.fit(InkIsolation.isolate(grey)));
        } catch (RejectedImageException e) {
            return PreprocessResult.rejected(e.reason(), e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            // A decoder bug on hostile input must cost one image, not the batch or the stream.
            return PreprocessResult.rejected(RejectReason.NOT_AN_IMAGE, "cannot decode: " + e);
        }
    }

    /**
     * A square ink map (row-major, 0 = paper, 1 = ink) through the same ink isolation and 20-pixel
     * fit as an upload. Training runs its blurred, low-resolution and thinned digits through it, so
     * that the network sees them cropped and scaled as it will see such uploads.
     */
    public static PreprocessResult refit(float[] ink, int side) {
        try {
            return PreprocessResult.ok(MnistFit.fit(InkIsolation.isolate(new GreyImage(side, side, ink.clone()))));
        } catch (RejectedImageException e) {
            return PreprocessResult.rejected(e.reason(), e.getMessage());
        }
    }
}
