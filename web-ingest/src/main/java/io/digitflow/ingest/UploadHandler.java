package io.digitflow.ingest;

import io.digitflow.inbox.Inbox;
import io.digitflow.inbox.Upload;
import io.digitflow.preprocess.ImageFormat;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.server.handlers.form.MultiPartParserDefinition;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /api/images}: multipart, one or more parts named {@code file}. Each part is streamed
 * to disk in the inbox's hidden {@code .incoming} folder (never held in memory), checked by its
 * magic bytes, and only when every part is an image are they all handed to the inbox: a request
 * is accepted whole or not at all.
 */
final class UploadHandler implements HttpHandler {
    private final Inbox inbox;
    private final long maxBytes;
    private final FormParserFactory parsers;

    UploadHandler(Inbox inbox, long maxBytes) {
        this.inbox = inbox;
        this.maxBytes = maxBytes;
        MultiPartParserDefinition multipart = new MultiPartParserDefinition(inbox.incoming());
        multipart.setFileSizeThreshold(0); // every part goes to a file, whatever its size
        multipart.setMaxIndividualFileSize(maxBytes);
        // Browsers send file names as raw UTF-8; Undertow's default (ISO-8859-1) would mangle them.
        multipart.setDefaultEncoding("UTF-8");
        this.parsers = FormParserFactory.builder(false).addParsers(multipart).build();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // Refuse by the declared length before reading a byte of the body.
        if (exchange.getRequestContentLength() > maxBytes) {
            Json.error(exchange, 413, tooLarge());
            return;
        }
        exchange.setMaxEntitySize(maxBytes); // and while streaming, for chunked or lying requests
        FormDataParser parser = parsers.createParser(exchange);
        if (parser == null) {
            Json.error(exchange, 400, "expected a multipart/form-data upload with one or more parts named 'file'");
            return;
        }
        try (parser) {
            FormData form;
            try {
                form = parser.parseBlocking();
            } catch (RequestTooBigException | io.undertow.server.handlers.form.MultiPartParserDefinition.FileTooLargeException e) {
                Json.error(exchange, 413, tooLarge());
                return;
            } catch (IOException e) {
                if (e.getCause() instanceof RequestTooBigException) {
                    Json.error(exchange, 413, tooLarge());
                    return;
                }
                Json.error(exchange, 400, "the upload could not be read: " + e.getMessage());
                return;
            }
            accept(exchange, form.get("file"));
        }
    }

    private void accept(HttpServerExchange exchange, Deque<FormData.FormValue> parts) throws IOException {
        if (parts == null || parts.stream().noneMatch(FormData.FormValue::isFileItem)) {
            Json.error(exchange, 400, "no file: send one or more parts named 'file'");
            return;
        }
        Map<FormData.FormValue, ImageFormat> checked = new LinkedHashMap<>();
        for (FormData.FormValue part : parts) {
            if (!part.isFileItem()) {
                continue;
            }
            Optional<ImageFormat> format = sniff(part.getFileItem().getFile());
            if (format.isEmpty()) {
                Json.error(exchange, 415, "'" + displayName(part) + "' is not an image (PNG, JPEG, GIF or BMP expected)");
                return;
            }
            checked.put(part, format.get());
        }
        Instant now = Instant.now();
        List<Map<String, String>> queued = new ArrayList<>();
        for (var e : checked.entrySet()) {
            Upload upload = new Upload(UUID.randomUUID(), displayName(e.getKey()), now);
            inbox.accept(upload, e.getKey().getFileItem().getFile(), e.getValue().extension());
            queued.add(Map.of("id", upload.id().toString(), "name", upload.name(), "status", "queued"));
        }
        Json.send(exchange, 202, queued);
    }

    private static Optional<ImageFormat> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(ImageFormat.SNIFF_BYTES);
            return ImageFormat.sniff(head, head.length);
        }
    }

    /** The client's file name as metadata: never used as a path; control characters removed; bounded. */
    static String displayName(FormData.FormValue part) {
        String raw = part.getFileName() == null ? "" : part.getFileName();
        StringBuilder b = new StringBuilder();
        raw.codePoints().filter(c -> !Character.isISOControl(c)).limit(255).forEach(b::appendCodePoint);
        String name = b.toString().strip();
        return name.isEmpty() ? "upload" : name;
    }

    private String tooLarge() {
        return "the upload is larger than the limit of " + maxBytes / (1024 * 1024) + " MB";
    }
}
