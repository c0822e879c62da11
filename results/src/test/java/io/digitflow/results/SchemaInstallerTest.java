package io.digitflow.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInstallerTest {

    @Test
    void splitsTheSchemaFileIntoIdempotentStatementsWithTheReplicationFilledIn() {
        String replication = "{'class': 'NetworkTopologyStrategy', 'dc1': 3}";
        List<String> statements = SchemaInstaller.statements(replication);

        assertEquals(9, statements.size());
        assertTrue(statements.get(0).contains(replication));
        for (String s : statements) {
            assertTrue((s.startsWith("CREATE") || s.startsWith("ALTER TABLE")) && s.contains("IF NOT EXISTS"), s);
            assertFalse(s.contains("--"), "comments must be stripped: " + s);
            assertFalse(s.contains("${"), "placeholders must be filled: " + s);
        }
    }
}
