package io.digitflow.ingest;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.MultipartParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one upload as Undertow's {@link MultipartParser} finds them, each streamed to its
 * own file in the inbox's hidden incoming folder. Every part must be a file (a {@code filename})
 * named {@code file} and not empty, and there may be at most {@code maxParts}: anything else is
 * refused with the reason ({@link UploadRefused}). {@link #close()} removes every file not handed
 * on. Undertow's own MultiPartParserDefinition either holds a worker thread for the whole body or
 * answers any problem with a bare 500, hence this handler of its parser.
 */
final class MultipartParts implements MultipartParser.PartHandler, AutoCloseable {
    /** A received part: the client's name for it (already cleaned) and where its bytes are. */
    record Part(String name, Path file, long size) {
    }

    /** Bytes of part headers (or preamble) kept in memory by the parser before a part starts. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Path dir;
    private final int maxParts;
    private final List<Part> parts = new ArrayList<>();
    private final List<Path> created = new ArrayList<>();
    private String name;
    private Path file;
    private FileChannel channel;
    private long size;
    private long sinceEvent;

    MultipartParts(Path dir, int maxParts) {
        this.dir = dir;
        this.maxParts = maxParts;
    }

    /**
     * Called before each chunk is parsed. The parser keeps a part's headers in memory and has no
     * bound of its own: bytes fed while no part starts or gets data are headers (or preamble), and
     * are refused beyond {@link #MAX_HEADER_BYTES} (give or take a chunk).
     */
    void fed(int bytes) {
        if (sinceEvent > MAX_HEADER_BYTES) {
            throw new UploadRefused(400, "a part's headers are larger than " + MAX_HEADER_BYTES / 1024 + " KB");
        }
        sinceEvent += bytes;
    }

    @Override
    public void beginPart(HeaderMap headers) {
        sinceEvent = 0;
        if (parts.size() + 1 > maxParts) {
            throw new UploadRefused(413, "more than " + maxParts + " files in one upload");
        }
        String disposition = headers.getFirst(Headers.CONTENT_DISPOSITION);
        String field = disposition == null || !disposition.startsWith("form-data") ? null
                : Headers.extractQuotedValueFromHeader(disposition, "name");
        if (!"file".equals(field)) {
            throw new UploadRefused(400, "every part must be a file named 'file'; part " + (parts.size() + 1) + " is "
                    + (field == null ? "not a form field" : "named '" + FileNames.display(field) + "'"));
        }
        String fileName = Headers.extractQuotedValueFromHeaderWithEncoding(disposition, "filename");
        if (fileName == null) {
            throw new UploadRefused(400, "part " + (parts.size() + 1) + " has no file name: send files, not form fields");
        }
        name = FileNames.display(fileName);
        size = 0;
        try {
            file = Files.createTempFile(dir, "upload-", ".part");
            created.add(file);
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
    }

    @Override
    public void data(ByteBuffer buffer) {
        sinceEvent = 0;
        size += buffer.remaining();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
    }

    @Override
    public void endPart() {
        sinceEvent = 0;
        try {
            channel.close();
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
        channel = null;
        if (size == 0) {
            throw new UploadRefused(400, "'" + name + "' is empty");
        }
        parts.add(new Part(name, file, size));
    }

    /** Parts started so far, complete or not. */
    int begun() {
        return created.size();
    }

    List<Part> parts() {
        return List.copyOf(parts);
    }

    /** Closes the open part and deletes every file of this upload still here (handed-on files are gone already). */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // nothing more to do; the incoming folder is hidden from the stream
            }
        }
    }

    /** Writing a part to disk failed (e.g. the disk is full): the server's trouble, not the upload's. */
    static final class StorageFailure extends RuntimeException {
        StorageFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
