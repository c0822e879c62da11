package io.digitflow.pipeline.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoringStepTest {

    @ParameterizedTest(name = "{0} files on {1} slots: {2} tasks")
    @CsvSource({
        "1, 2, 1", // fewer files than slots: one task each
        "17, 2, 2",
        "2000, 2, 8", // a micro-batch of the stream: at least four rounds of tasks
        "5000, 2, 8",
        "100000, 2, 26", // a large score: tasks of at most 4,096 files, an even number of them
        "100000, 6, 30",
    })
    void tasksComeInWholeRoundsOfTheSlots(int files, int slots, int tasks) {
        assertEquals(tasks, ScoringStep.tasksFor(files, slots));
    }

    @ParameterizedTest
    @CsvSource({"3, 2", "257, 2", "999, 4", "5001, 2", "33333, 3", "250000, 2", "1000000, 8"})
    void everyTaskHoldsAFewHundredToAFewThousandFilesInWholeRounds(int files, int slots) {
        int tasks = ScoringStep.tasksFor(files, slots);
        assertTrue(tasks % slots == 0 || tasks == files, tasks + " tasks for " + slots + " slots");
        double perTask = (double) files / tasks;
        assertTrue(perTask <= ScoringStep.MAX_TASK_FILES, perTask + " files a task");
        assertTrue(perTask >= Math.min(files / slots, ScoringStep.MIN_TASK_FILES / 2), perTask + " files a task");
    }
}
