package io.digitflow.notebooks.kernel;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 as its own {@code MainApp} does, with one difference that
 * makes it reliable on a busy machine.
 *
 * <p>Jupyter's client queues its first {@code kernel_info_request} before the kernel is up. The
 * kernel binds its shell socket and starts the shell thread, then binds three more sockets and only
 * then creates its message-handler map: a request that arrives in between makes the shell thread
 * die of a NullPointerException, and the kernel never answers (measured here under load: "Kernel
 * didn't respond in 300 seconds"). Giving the channels an empty handler map before they connect
 * turns such an early request into "no handler, ignored"; the client asks again every second and
 * gets its answer once the kernel is wired.
 *
 * <p>The kernel's own java.util.logging configuration (root level FINEST) is left out on purpose:
 * Spark routes java.util.logging to SLF4J, and Janino's FINER tracing through that bridge breaks
 * Spark's code generation ("failed to compile ... StringIndexOutOfBoundsException"). The JDK's
 * default (INFO to stderr) keeps the kernel's start-up lines.
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelMain CONNECTION_FILE (Jupyter passes it)");
        }
        ConnectionProperties connection = Transform.fromJson(readConnectionFile(Path.of(args[0])), ConnectionProperties.class);
        if ("ipc".equals(connection.transport())) {
            throw new IllegalArgumentException("the ipc transport is not supported by the kernel: use tcp");
        }
        Channels channels = new Channels(connection);
        ignoreRequestsUntilWired(channels);
        channels.connect(MainApp.kernel); // initialises the kernel (JShell, class path) first
        channels.joinUntilClose();
    }

    private static String readConnectionFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("connection file " + file + " does not exist");
        }
        return Files.readString(file);
    }

    private static void ignoreRequestsUntilWired(Channels channels) throws ReflectiveOperationException {
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new HashMap<>());
    }
}
