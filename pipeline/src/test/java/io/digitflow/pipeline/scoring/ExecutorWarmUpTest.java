package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.testkit.ImageIoCache;
import org.junit.jupiter.api.Test;

class ExecutorWarmUpTest {
    @Test
    void sampleDigitIsEncodedInMemoryAndIsAcceptedAsADigit() throws Exception {
        ImageIoCache.withFolderGone(() -> {
            PreprocessResult sample = Preprocessor.preprocess(ExecutorWarmUp.samplePng());
            assertTrue(sample.isOk(), () -> "rejected: " + sample.reason() + " " + sample.detail());
            assertEquals(Preprocessor.PIXELS, sample.pixels().length);
        });
    }
}
