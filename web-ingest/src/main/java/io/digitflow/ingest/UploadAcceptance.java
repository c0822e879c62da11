package io.digitflow.ingest;

import io.digitflow.inbox.Upload;
import io.digitflow.preprocess.ImageFormat;
import io.digitflow.preprocess.ImageHeader;
import io.digitflow.preprocess.RejectReason;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The received parts of an upload, checked and handed in, on a worker thread: each must be a PNG,
 * JPEG, GIF or BMP by its first bytes (else 415) and declare no more pixels than the stream's rule
 * allows (else 422 {@code too_large}, read from the header alone: a decompression bomb never
 * enters the inbox); then all are handed in together ({@link Handover}) or none (507 on a full disk).
 */
final class UploadAcceptance {
    private static final Logger LOG = LoggerFactory.getLogger(UploadAcceptance.class);

    private record Answer(int status, Object body) {
        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message));
        }
    }

    private final Handover handover;

    UploadAcceptance(Handover handover) {
        this.handover = handover;
    }

    void accept(HttpServerExchange exchange, MultipartParts parts) throws IOException {
        Answer answer;
        try {
            answer = check(parts.parts());
        } finally {
            parts.close(); // before answering: a client that saw the answer finds nothing left behind
        }
        if (answer.status() == 202 && answer.body() instanceof List<?> accepted) {
            exchange.putAttachment(WebMetrics.ACCEPTED_FILES, accepted.size());
        }
        Json.send(exchange, answer.status(), answer.body());
    }

    private Answer check(List<MultipartParts.Part> parts) throws IOException {
        if (parts.isEmpty()) {
            return Answer.error(400, "no file: send one or more parts named 'file'");
        }
        Instant now = Instant.now();
        List<Handover.Staged> staged = new ArrayList<>();
        for (MultipartParts.Part part : parts) {
            Optional<ImageFormat> format = sniff(part.file());
            if (format.isEmpty()) {
                return Answer.error(415, "'" + part.name() + "' is not an image (PNG, JPEG, GIF or BMP expected)");
            }
            ImageHeader.Reading header = ImageHeader.read(part.file());
            if (header.reason() == RejectReason.TOO_LARGE) {
                return new Answer(422, Map.of("error", "'" + part.name() + "' is too large: " + header.detail(),
                        "reason", RejectReason.TOO_LARGE.code()));
            }
            staged.add(new Handover.Staged(new Upload(UUID.randomUUID(), part.name(), now), part.file(), format.get().extension()));
        }
        try {
            handover.handIn(staged);
        } catch (IOException | RuntimeException e) {
            if (DiskFull.isCause(e)) {
                LOG.warn("an upload of {} files was refused: the inbox's file system is full ({})", staged.size(), e.getMessage());
                return Answer.error(507, "the server has no room for this upload now; nothing of it was kept");
            }
            LOG.error("an upload of {} files could not be handed to the inbox", staged.size(), e);
            return Answer.error(500, "the upload could not be stored; nothing of it was kept");
        }
        return new Answer(202, staged.stream()
                .map(s -> Map.of("id", s.upload().id().toString(), "name", s.upload().name(), "status", "queued")).toList());
    }

    private static Optional<ImageFormat> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(ImageFormat.SNIFF_BYTES);
            return ImageFormat.sniff(head, head.length);
        }
    }
}
