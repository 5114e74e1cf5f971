package org.opencache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ConfigKey;

/**
 * The key table of {@code docs/design.md}, between its {@link #BEGIN} and {@link #END} marker
 * lines, is {@link ConfigKey#markdownTable()}, so the document cannot drift from the keys the
 * code reads.
 *
 * <p>After changing {@link ConfigKey}, regenerate the section (the test then rewrites it
 * instead of comparing) with:
 *
 * <pre>
 * mvn -B -pl examples -am verify -Dopencache.regenerateDocs=true -Dtest=DesignDocKeyTableTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class DesignDocKeyTableTest {

    /** Surefire runs in the module directory, {@code examples/}. */
    private static final Path DESIGN = Path.of("..", "docs", "design.md");

    private static final String BEGIN = "<!-- config-keys:begin (generated from ConfigKey; do not edit by hand) -->";
    private static final String END = "<!-- config-keys:end -->";

    private static final String REGENERATE = "mvn -B -pl examples -am verify -Dopencache.regenerateDocs=true"
            + " -Dtest=DesignDocKeyTableTest -Dsurefire.failIfNoSpecifiedTests=false";

    @Test
    void keyTableIsConfigKeyRendered() throws IOException {
        assertTrue(Files.isRegularFile(DESIGN), "expected " + DESIGN.toAbsolutePath() + "; run from examples/");
        String doc = Files.readString(DESIGN);
        int from = endOfLine(doc, BEGIN);
        int to = startOfLine(doc, END);
        if (to < from) {
            fail(DESIGN + ": " + END + " comes before " + BEGIN);
        }
        // Blank lines around the table, so that no Markdown renderer runs it into the markers.
        String expected = "\n" + ConfigKey.markdownTable() + "\n";
        if (Boolean.getBoolean("opencache.regenerateDocs")) {
            Files.writeString(DESIGN, doc.substring(0, from) + expected + doc.substring(to));
            return;
        }
        assertEquals(expected, doc.substring(from, to),
                "docs/design.md's key table is not ConfigKey.markdownTable(); regenerate it with: " + REGENERATE);
    }

    /** Where the line holding exactly {@code marker} starts; fails unless there is exactly one. */
    private static int startOfLine(String doc, String marker) {
        int at = doc.indexOf("\n" + marker + "\n");
        if (at < 0 || doc.indexOf("\n" + marker + "\n", at + 1) >= 0) {
            fail(DESIGN + " must hold exactly one line '" + marker + "', on a line of its own");
        }
        return at + 1;
    }

    /** Where the line after the one holding exactly {@code marker} starts. */
    private static int endOfLine(String doc, String marker) {
        return startOfLine(doc, marker) + marker.length() + 1;
    }
}
