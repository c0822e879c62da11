package io.digitflow.ingest;

import io.digitflow.mnist.Mnist;
import io.digitflow.testkit.DigitImages;
import java.util.List;
import java.util.stream.IntStream;

/**
 * MNIST test digits as the page's canvas sends them (280×280 RGBA PNG, transparent background):
 * realistic upload bodies for load tests and benchmarks, with the true digit of each.
 */
record CanvasDigits(List<byte[]> pngs, int[] labels) {
    static CanvasDigits first(int count) {
        Mnist.DataSet mnist = DigitImages.mnistTest();
        List<byte[]> pngs = IntStream.range(0, count).parallel()
                .mapToObj(i -> DigitImages.encode(DigitImages.canvasDrawing(mnist.image(i % mnist.size()), 280), "png")).toList();
        int[] labels = IntStream.range(0, count).map(i -> mnist.label(i % mnist.size())).toArray();
        return new CanvasDigits(pngs, labels);
    }
}
