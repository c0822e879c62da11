package io.digitflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.digitflow.model.Architecture;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingTest {
    private static TrainOptions options(Architecture architecture, int epochs) {
        return new TrainOptions(architecture, epochs, "local[2]", 2, false, false, 64, 8192, 5000, 0, 42);
    }

    private static List<Boolean> augmentedEpochs(Architecture architecture, int epochs) {
        return IntStream.rangeClosed(1, epochs).mapToObj(e -> Training.augmentsIn(options(architecture, epochs), e)).toList();
    }

    @Test
    void theLastOfSeveralEpochsSeesTheDigitsAsTheyAre() {
        assertEquals(List.of(true, true, true, true, false), augmentedEpochs(Architecture.CNN, 5));
        assertEquals(List.of(true, false), augmentedEpochs(Architecture.SEED_CNN, 2));
    }

    @Test
    void aSingleEpochIsDistortedThroughout() {
        assertEquals(List.of(true), augmentedEpochs(Architecture.CNN, 1));
    }

    @Test
    void aLinearModelIsNeverShownDistortedDigits() {
        assertEquals(List.of(false, false, false), augmentedEpochs(Architecture.SOFTMAX, 3));
    }
}
