package io.digitflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitflow.testkit.DigitImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The declared size read from a file's header (what the web checks before accepting an upload)
 * and the decoder (what the stream runs) give the same verdict on the same bytes: one rule.
 */
class ImageHeaderTest {
    @TempDir
    Path dir;

    @Test
    void aRealImageDeclaresItsSize() throws Exception {
        byte[] png = DigitImages.encode(DigitImages.canvasDrawing(DigitImages.mnistTest().image(0), 280), "png");
        ImageHeader.Reading r = ImageHeader.read(Files.write(dir.resolve("digit"), png));
        assertTrue(r.isOk(), () -> r.reason() + ": " + r.detail());
        assertEquals(new ImageHeader(ImageFormat.PNG, 280, 280), r.header());
        assertTrue(Preprocessor.preprocess(png).isOk());
    }

    @Test
    void bombsOfEveryFormatAreRefusedFromTheHeaderByReaderAndDecoderAlike() throws Exception {
        Map<String, byte[]> bombs = Map.of(
                "png", DigitImages.pngHeaderClaiming(30_000, 30_000),
                "jpg", jpegHeaderClaiming(60_000, 60_000),
                "gif", gifHeaderClaiming(65_535, 65_535));
        for (var bomb : bombs.entrySet()) {
            long start = System.nanoTime();
            ImageHeader.Reading r = ImageHeader.read(Files.write(dir.resolve("bomb." + bomb.getKey()), bomb.getValue()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(RejectReason.TOO_LARGE, r.reason(), () -> bomb.getKey() + ": " + r.detail());
            assertTrue(r.detail().contains("megapixels"), r.detail());
            assertTrue(millis < 2_000, bomb.getKey() + " took " + millis + " ms: the header alone must decide");
            assertEquals(RejectReason.TOO_LARGE, Preprocessor.preprocess(bomb.getValue()).reason(), bomb.getKey() + " in the decoder");
        }
    }

    @Test
    void justBelowTheLimitIsNotABomb() throws Exception {
        // 6,000 × 6,666 = 39,996,000 pixels: within the rule, so the header reading accepts it.
        ImageHeader.Reading r = ImageHeader.read(Files.write(dir.resolve("big.png"), DigitImages.pngHeaderClaiming(6_000, 6_666)));
        assertTrue(r.isOk(), () -> r.reason() + ": " + r.detail());
        assertEquals(39_996_000L, r.header().width() * r.header().height());
    }

    @Test
    void filesThatAreNotImagesSayWhy() throws Exception {
        assertEquals(RejectReason.NOT_AN_IMAGE, ImageHeader.read(Files.write(dir.resolve("empty"), new byte[0])).reason());
        assertEquals(RejectReason.NOT_AN_IMAGE,
                ImageHeader.read(Files.write(dir.resolve("notes.txt"), "not a digit".getBytes(StandardCharsets.UTF_8))).reason());
        byte[] signatureOnly = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        ImageHeader.Reading cut = ImageHeader.read(Files.write(dir.resolve("cut.png"), signatureOnly));
        assertTrue(!cut.isOk() && (cut.reason() == RejectReason.TRUNCATED || cut.reason() == RejectReason.NOT_AN_IMAGE),
                () -> cut.reason() + ": " + cut.detail());
    }

    /** A baseline JPEG's start and frame header (SOF0, three components) claiming width×height, then its end. */
    static byte[] jpegHeaderClaiming(int width, int height) {
        return ByteBuffer.allocate(2 + 19 + 2)
                .put((byte) 0xFF).put((byte) 0xD8)
                .put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8).putShort((short) height).putShort((short) width)
                .put((byte) 3).put(new byte[] {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1})
                .put((byte) 0xFF).put((byte) 0xD9).array();
    }

    /** A GIF89a screen and image descriptor claiming width×height, then the trailer. */
    static byte[] gifHeaderClaiming(int width, int height) {
        return ByteBuffer.allocate(6 + 7 + 10 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .put("GIF89a".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height).put((byte) 0)
                .put((byte) 2).put((byte) 0).put((byte) 0x3B).put((byte) 0).array();
    }
}
