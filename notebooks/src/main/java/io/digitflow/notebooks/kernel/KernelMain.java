package io.digitflow.notebooks.kernel;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
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
 * <p>The kernel's channel threads race their own start: {@code LoopThread.start()} starts the thread
 * and only then sets its {@code running} flag, so a thread scheduled at once sees {@code false},
 * leaves its loop and ends. The shell channel then never reads a request, and the client waits for
 * a kernel that is alive but deaf (the "Kernel didn't respond in 300 seconds" seen on loaded
 * machines, 3.0.1 to 3.0.4 alike). After binding, each loop thread is therefore stopped and
 * replaced by one whose flag is set before it starts.
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
        for (String channel : List.of("heartbeat", "shell", "control")) {
            restartLoopOf(field(Channels.class, channel).get(channels));
        }
        channels.joinUntilClose();
    }

    private static String readConnectionFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("connection file " + file + " does not exist");
        }
        return Files.readString(file);
    }

    private static void ignoreRequestsUntilWired(Channels channels) throws ReflectiveOperationException {
        field(Channels.class, "handlers").set(channels, new HashMap<>());
    }

    /** Stops a channel's loop thread, lets it end, and starts a replacement that cannot lose the race. */
    static void restartLoopOf(Object channel) throws ReflectiveOperationException, InterruptedException {
        Field threadField = field(channel.getClass(), "loopThread");
        LoopThread old = (LoopThread) threadField.get(channel);
        old.shutdown();
        old.join(); // ends after its current pass; a request it is handling is finished first
        threadField.set(channel, runningCopyOf(old));
    }

    /** A started copy of a loop thread (same name, pause and body) whose flag was set before it started. */
    static LoopThread runningCopyOf(LoopThread old) throws ReflectiveOperationException {
        LoopThread copy = new LoopThread(old.getName(), (long) field(LoopThread.class, "sleep").get(old),
                (Runnable) field(LoopThread.class, "loopBody").get(old));
        field(LoopThread.class, "running").set(copy, true);
        copy.start();
        return copy;
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
