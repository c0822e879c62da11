package io.digitflow.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Runs code with ImageIO's file cache switched on and pointed at a folder that no longer exists, so
 * any ImageIO stream that still spools through a temporary file fails. Restores ImageIO's settings
 * (process-wide state) afterwards.
 */
public final class ImageIoCache {
    private ImageIoCache() {
    }

    /** Code that may throw, run by {@link #withFolderGone}. */
    public interface Body {
        void run() throws Exception;
    }

    public static void withFolderGone(Body body) throws Exception {
        Path gone = Files.createTempDirectory("imageio-cache");
        boolean useCache = ImageIO.getUseCache();
        File cacheDir = ImageIO.getCacheDirectory();
        try {
            ImageIO.setUseCache(true);
            ImageIO.setCacheDirectory(gone.toFile());
            Files.delete(gone);
            body.run();
        } finally {
            ImageIO.setUseCache(useCache);
            ImageIO.setCacheDirectory(cacheDir);
        }
    }
}
