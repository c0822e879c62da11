package io.digitflow.train;

import io.digitflow.config.Settings;
import io.digitflow.mnist.Mnist;
import io.digitflow.model.DigitClassifier;
import io.digitflow.model.ModelStore;
import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Accuracy on inputs MNIST lacks, each set rendered from MNIST test digits (never trained on) as a
 * real upload: a PNG of dark ink on white paper that goes through the real preprocessing and the
 * model, exactly as the stream scores it. Beside clean MNIST in the same run.
 *
 * <pre>RobustnessBenchmark MODELS_DIR [N]</pre>  (the store's LATEST; the first N test digits, default 2000)
 */
public final class RobustnessBenchmark {
    static final int CANVAS = 280;

    private RobustnessBenchmark() {
    }

    public static void main(String[] args) {
        ModelStore store = new ModelStore(Settings.fromEnvironment().home().resolve(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Mnist.DataSet test = Mnist.under(Settings.fromEnvironment().home()).load(Mnist.Split.TEST);
        DigitClassifier classifier = store.loadLatest().classifier();

        Map<String, UnaryOperator<float[]>> sets = new LinkedHashMap<>();
        sets.put("low resolution: 8x8 image, upscaled", d -> lowResolution(d, 8));
        sets.put("low resolution: 12x12 image, upscaled", d -> lowResolution(d, 12));
        sets.put("low resolution: 16x16 image, upscaled", d -> lowResolution(d, 16));
        sets.put("blurred (Gaussian, sigma 6 px on a 280 px canvas)", d -> Degrade.blur(upscale(d, 28), CANVAS, 6));
        sets.put("thin strokes (eroded 5 px on 280 px)", d -> Degrade.morph(upscale(d, 28), CANVAS, 5, false));
        sets.put("thick strokes (dilated 9 px on 280 px)", d -> Degrade.morph(upscale(d, 28), CANVAS, 9, true));
        sets.put("faint ink (20% contrast)", d -> Degrade.scale(upscale(d, 28), 0.2f));
        sets.put("other style: slanted 20 degrees", d -> Degrade.shear(upscale(d, 28), CANVAS, 0.36));

        System.out.printf("model %s, the first %,d MNIST test digits, each set rendered as %dx%d PNG uploads%n",
                classifier.version(), n, CANVAS, CANVAS);
        double clean = accuracy(classifier, test, n, null);
        System.out.printf("%-52s %8.2f%% %6s%n", "clean MNIST (28x28 PNG, the baseline)", 100 * clean, "1.000");
        for (var set : sets.entrySet()) {
            double a = accuracy(classifier, test, n, set.getValue());
            System.out.printf("%-52s %8.2f%% %6.3f%n", set.getKey(), 100 * a, a / clean);
        }
    }

    /** Share of the first n digits recognised, each rendered (degraded, or clean 28×28), preprocessed and scored. */
    private static double accuracy(DigitClassifier classifier, Mnist.DataSet test, int n, UnaryOperator<float[]> degrade) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            float[] ink = degrade == null ? test.normalized(i) : degrade.apply(test.normalized(i));
            int side = (int) Math.round(Math.sqrt(ink.length));
            PreprocessResult r = Preprocessor.preprocess(png(ink, side));
            if (r.isOk() && DigitClassifier.argmax(classifier.probabilities(r.pixels(), 1)[0]) == test.label(i)) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** The whole 28×28 image seen at {@code side}×{@code side} (area-averaged, as a small sensor would), upscaled to the canvas. */
    static float[] lowResolution(float[] digit, int side) {
        return Degrade.resize(Degrade.resize(digit, 28, side), side, CANVAS);
    }

    static float[] upscale(float[] digit, int side) {
        return Degrade.resize(digit, side, CANVAS);
    }

    /** Ink (0-1) as dark ink on white paper, 8-bit grey PNG. */
    static byte[] png(float[] ink, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.getRaster().setSample(x, y, 0, Math.round(255 - 255 * Math.max(0, Math.min(1, ink[y * side + x]))));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageIO.write(img, "png", stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Image operations on square ink maps (row-major, 0 = paper, 1 = ink). */
    static final class Degrade {
        private Degrade() {
        }

        static float[] resize(float[] src, int from, int to) {
            float[] out = new float[to * to];
            double scale = (double) from / to;
            for (int y = 0; y < to; y++) {
                for (int x = 0; x < to; x++) {
                    if (to < from) { // area average
                        double sum = 0;
                        int count = 0;
                        for (int sy = (int) (y * scale); sy < Math.min(from, (int) Math.ceil((y + 1) * scale)); sy++) {
                            for (int sx = (int) (x * scale); sx < Math.min(from, (int) Math.ceil((x + 1) * scale)); sx++) {
                                sum += src[sy * from + sx];
                                count++;
                            }
                        }
                        out[y * to + x] = (float) (sum / Math.max(1, count));
                    } else { // bilinear
                        double fx = Math.max(0, Math.min(from - 1, (x + 0.5) * scale - 0.5));
                        double fy = Math.max(0, Math.min(from - 1, (y + 0.5) * scale - 0.5));
                        int x0 = (int) fx;
                        int y0 = (int) fy;
                        int x1 = Math.min(from - 1, x0 + 1);
                        int y1 = Math.min(from - 1, y0 + 1);
                        double tx = fx - x0;
                        double ty = fy - y0;
                        out[y * to + x] = (float) ((src[y0 * from + x0] * (1 - tx) + src[y0 * from + x1] * tx) * (1 - ty)
                                + (src[y1 * from + x0] * (1 - tx) + src[y1 * from + x1] * tx) * ty);
                    }
                }
            }
            return out;
        }

        static float[] blur(float[] img, int side, double sigma) {
            int r = (int) Math.ceil(3 * sigma);
            double[] k = new double[2 * r + 1];
            double total = 0;
            for (int i = -r; i <= r; i++) {
                k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
                total += k[i + r];
            }
            float[] tmp = new float[img.length];
            float[] out = new float[img.length];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double h = 0;
                    for (int i = -r; i <= r; i++) {
                        int xx = Math.max(0, Math.min(side - 1, x + i));
                        h += k[i + r] * img[y * side + xx];
                    }
                    tmp[y * side + x] = (float) (h / total);
                }
            }
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double v = 0;
                    for (int i = -r; i <= r; i++) {
                        int yy = Math.max(0, Math.min(side - 1, y + i));
                        v += k[i + r] * tmp[yy * side + x];
                    }
                    out[y * side + x] = (float) (v / total);
                }
            }
            return out;
        }

        /** Grey dilation (thicker) or erosion (thinner) with a square of radius r. */
        static float[] morph(float[] img, int side, int r, boolean dilate) {
            float[] tmp = new float[img.length];
            float[] out = new float[img.length];
            for (int pass = 0; pass < 2; pass++) {
                float[] from = pass == 0 ? img : tmp;
                float[] to = pass == 0 ? tmp : out;
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        float v = dilate ? 0 : 1;
                        for (int i = -r; i <= r; i++) {
                            int xx = pass == 0 ? x + i : x;
                            int yy = pass == 0 ? y : y + i;
                            float s = xx < 0 || yy < 0 || xx >= side || yy >= side ? 0 : from[yy * side + xx];
                            v = dilate ? Math.max(v, s) : Math.min(v, s);
                        }
                        to[y * side + x] = v;
                    }
                }
            }
            return out;
        }

        static float[] scale(float[] img, float factor) {
            float[] out = new float[img.length];
            for (int i = 0; i < img.length; i++) {
                out[i] = img[i] * factor;
            }
            return out;
        }

        /** Slant: each row shifted in proportion to its height above the centre. */
        static float[] shear(float[] img, int side, double shear) {
            float[] out = new float[img.length];
            double c = (side - 1) / 2.0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double sx = x + shear * (y - c);
                    int x0 = (int) Math.floor(sx);
                    double t = sx - x0;
                    float a = x0 < 0 || x0 >= side ? 0 : img[y * side + x0];
                    float b = x0 + 1 < 0 || x0 + 1 >= side ? 0 : img[y * side + x0 + 1];
                    out[y * side + x] = (float) (a * (1 - t) + b * t);
                }
            }
            return out;
        }
    }
}
