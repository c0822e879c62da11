package io.digitflow.train;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Labelled uploads: images people corrected on the page (the network's 28×28 input, as stored with
 * their rows) and the digit they said. Each is put, by its id, in one of three fixed parts: 70% to
 * train on, 10% for model selection, 20% held out to measure the model on ({@link #test()}), so the
 * same upload always lands in the same part, run after run.
 */
record Feedback(List<Example> examples, String sha256) implements Serializable {

    record Example(UUID imageId, byte[] pixels, int digit) implements Serializable {
        /** 0-6 train, 7 selection, 8-9 held out: a fixed part per image. */
        int part() {
            return Math.floorMod(imageId.hashCode(), 10);
        }
    }

    static final Feedback NONE = new Feedback(List.of(), "");

    static Feedback of(List<Example> examples) {
        List<Example> sorted = new ArrayList<>(examples);
        sorted.sort(java.util.Comparator.comparing(Example::imageId));
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Example e : sorted) {
                digest.update(e.imageId().toString().getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) e.digit());
                digest.update(e.pixels());
            }
            return new Feedback(List.copyOf(sorted), HexFormat.of().formatHex(digest.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isEmpty() {
        return examples.isEmpty();
    }

    List<Example> train() {
        return examples.stream().filter(e -> e.part() < 7).toList();
    }

    List<Example> selection() {
        return examples.stream().filter(e -> e.part() == 7).toList();
    }

    List<Example> test() {
        return examples.stream().filter(e -> e.part() >= 8).toList();
    }

    /** Examples as the network takes them, for {@link Evaluation}. */
    static LabelledImages images(List<Example> examples) {
        return new LabelledImages() {
            @Override
            public int size() {
                return examples.size();
            }

            @Override
            public void image(int i, float[] out) {
                byte[] p = examples.get(i).pixels();
                for (int j = 0; j < out.length; j++) {
                    out[j] = (p[j] & 0xFF) / 255f;
                }
            }

            @Override
            public int label(int i) {
                return examples.get(i).digit();
            }
        };
    }
}
