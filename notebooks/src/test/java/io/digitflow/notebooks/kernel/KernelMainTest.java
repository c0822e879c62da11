package io.digitflow.notebooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.channels.LoopThread;

class KernelMainTest {

    /** What a loop thread that lost the start race does: it sees running == false and leaves at once. */
    @Test
    void aLoopThreadThatLostItsStartRaceIsReplacedByOneThatRuns() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch threePasses = new CountDownLatch(3);
        LoopThread lost = new LoopThread("Shell-0", 1, () -> {
            passes.incrementAndGet();
            threePasses.countDown();
        });
        lost.run(); // the body of a thread scheduled before start() set its flag
        assertEquals(0, passes.get(), "the lost thread never ran its body");

        LoopThread copy = KernelMain.runningCopyOf(lost);
        try {
            assertTrue(threePasses.await(10, TimeUnit.SECONDS), "the replacement runs the same body in a loop");
            assertEquals("Shell-0", copy.getName());
        } finally {
            copy.shutdown();
            copy.join(10_000);
        }
        assertFalse(copy.isAlive(), "the replacement still stops when the channel closes it");
    }
}
