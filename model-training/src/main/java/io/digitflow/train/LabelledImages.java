package io.digitflow.train;

import io.digitflow.mnist.Mnist;

/** Images with their true digits, as the network takes them (784 floats in [0,1]): what {@link Evaluation} scores. */
public interface LabelledImages {
    int size();

    /** Image {@code i} into {@code out} (784 floats). */
    void image(int i, float[] out);

    int label(int i);

    static LabelledImages of(Mnist.DataSet set) {
        return new LabelledImages() {
            @Override
            public int size() {
                return set.size();
            }

            @Override
            public void image(int i, float[] out) {
                System.arraycopy(set.normalized(i), 0, out, 0, out.length);
            }

            @Override
            public int label(int i) {
                return set.label(i);
            }
        };
    }
}
