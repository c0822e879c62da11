package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.preprocess.PreprocessResult;
import io.digitflow.preprocess.Preprocessor;
import io.digitflow.testkit.ImageIoCache;
import org.junit.jupiter.api.Test;

class WarmUpImagesTest {
    @Test
    void bothImagesAreEncodedInMemoryAndAcceptedAsDigits() throws Exception {
        ImageIoCache.withFolderGone(() -> {
            for (byte[] png : new byte[][] {WarmUpImages.digit(), WarmUpImages.drawing()}) {
                PreprocessResult sample = Preprocessor.preprocess(png);
                assertTrue(sample.isOk(), () -> "rejected: " + sample.reason() + " " + sample.detail());
                assertEquals(Preprocessor.PIXELS, sample.pixels().length);
            }
        });
    }
}
