package io.digitflow.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.digitflow.config.Settings;
import io.digitflow.inbox.Inbox;
import io.digitflow.results.CassandraSessions;
import io.digitflow.results.PredictionTable;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Cold start, from the outside: against a stream that has just said it is watching, a drawing like
 * the page sends (280×280 RGBA PNG) is renamed into the inbox and timed until its row is readable;
 * then the same again with fresh drawings, one at a time, for the warm figure of the same run.
 *
 * <pre>FirstUploadBenchmark STAGING_DIR INBOX WARM_DROPS</pre> prints
 * {@code first_upload first_ms=F warm_p50_ms=W ratio=R}. Cassandra: DIGITFLOW_CASSANDRA.
 */
public final class FirstUploadBenchmark {
    private FirstUploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path staging = Files.createDirectories(Path.of(args[0]));
        Path inbox = Path.of(args[1]);
        int warm = Integer.parseInt(args[2]);
        try (CqlSession session = CassandraSessions.open(Settings.fromEnvironment())) {
            PreparedStatement select = session.prepare("SELECT " + PredictionTable.STATUS + " FROM " + PredictionTable.KEYSPACE + "."
                    + PredictionTable.PREDICTIONS + " WHERE " + PredictionTable.IMAGE_ID + " = ?");
            double first = drop(staging, inbox, session, select, 0);
            double[] later = new double[warm];
            for (int i = 0; i < warm; i++) {
                Thread.sleep(300);
                later[i] = drop(staging, inbox, session, select, i + 1);
            }
            Arrays.sort(later);
            double p50 = later[(later.length - 1) / 2];
            System.out.printf("first_upload first_ms=%.0f warm_p50_ms=%.0f ratio=%.2f%n", first, p50, first / p50);
        }
    }

    private static double drop(Path staging, Path inbox, CqlSession session, PreparedStatement select, int variant) throws Exception {
        byte[] png = drawing(variant);
        String name = "first-upload-" + UUID.randomUUID() + ".png";
        Path staged = Files.write(staging.resolve(name), png);
        UUID id = Inbox.derivedId(name, png);
        long start = System.nanoTime();
        Files.move(staged, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        while (session.execute(select.bind(id)).one() == null) {
            if (System.nanoTime() - start > 120_000_000_000L) {
                throw new IllegalStateException("no row for " + name + " after 120 s");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** A "7" drawn like the page's canvas: dark round strokes on transparency, a little different each time. */
    static byte[] drawing(int variant) throws Exception {
        BufferedImage image = new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x11, 0x11, 0x11));
        g.setStroke(new BasicStroke(18, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int d = variant % 20;
        g.drawPolyline(new int[] {60 + d, 215 - d, 115 + d}, new int[] {55 + d, 58, 235 - d}, 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageIO.write(image, "png", stream);
        }
        return out.toByteArray();
    }
}
