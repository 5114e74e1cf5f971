package org.opencache.dist;

import java.util.Arrays;
import java.util.List;

/**
 * The JVM options an operator gave ({@code OPENCACHE_JAVA_OPTS}, {@code JDK_JAVA_OPTIONS},
 * {@code JAVA_TOOL_OPTIONS}), asked what they set, so that {@link JvmOptions} never overrides an
 * operator's choice: options from the two JDK variables come before the command line's, where ours
 * would otherwise win.
 *
 * @param options the options, one per element
 */
record OperatorJvmOptions(List<String> options) {
    /** System property through which {@code bin/opencache} hands the operator's options to {@link JvmOptions}. */
    static final String PROPERTY = "opencache.operator.options";

    OperatorJvmOptions {
        options = List.copyOf(options);
    }

    /** The options in a space-separated string, as the launcher's variables hold them. */
    static OperatorJvmOptions parse(String spaceSeparated) {
        if (spaceSeparated == null || spaceSeparated.isBlank()) {
            return new OperatorJvmOptions(List.of());
        }
        return new OperatorJvmOptions(Arrays.asList(spaceSeparated.strip().split("\\s+")));
    }

    /** Whether they bound the heap (or the memory the JVM derives its heap from). */
    boolean setsMaxHeap() {
        return options.stream().anyMatch(option -> option.startsWith("-Xmx") || setsFlag(option, "MaxHeapSize")
                || setsFlag(option, "MaxRAMPercentage") || setsFlag(option, "MaxRAM"));
    }

    /** Whether they chose the initial or minimum heap. */
    boolean setsInitialHeap() {
        return options.stream().anyMatch(option -> option.startsWith("-Xms") || setsFlag(option, "InitialHeapSize")
                || setsFlag(option, "MinHeapSize") || setsFlag(option, "InitialRAMPercentage"));
    }

    /**
     * Whether they say what the JVM does on an {@link OutOfMemoryError}: exit, crash, or run a
     * command ({@code -XX:+/-ExitOnOutOfMemoryError}, {@code -XX:+/-CrashOnOutOfMemoryError},
     * {@code -XX:OnOutOfMemoryError=...}).
     */
    boolean handlesOutOfMemory() {
        return sets("ExitOnOutOfMemoryError") || sets("CrashOnOutOfMemoryError") || sets("OnOutOfMemoryError");
    }

    /** Whether they set the HotSpot flag {@code name}, as {@code -XX:name=value} or {@code -XX:+name}/{@code -XX:-name}. */
    boolean sets(String name) {
        return options.stream().anyMatch(option -> setsFlag(option, name));
    }

    private static boolean setsFlag(String option, String name) {
        return option.equals("-XX:+" + name) || option.equals("-XX:-" + name) || option.startsWith("-XX:" + name + "=");
    }
}
