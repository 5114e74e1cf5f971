package org.opencache.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scrape in the Prometheus text exposition format, parsed into samples, for tests that check
 * what {@code /metrics} exports (names, labels, values) rather than searching its text.
 */
public final class PrometheusText {

    /**
     * One sample line.
     *
     * @param name   the series name, with any {@code _bucket}/{@code _count}/{@code _sum} suffix
     * @param labels its labels, unescaped
     * @param value  its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** Whether every given label (name, value, name, value…) has that value. */
        public boolean has(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Sample> samples;
    private final String text;

    private PrometheusText(List<Sample> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    /**
     * Parses a scrape.
     *
     * @throws IllegalArgumentException on a line that is not a comment, blank or a sample
     */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return new PrometheusText(List.copyOf(samples), text);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals).strip();
                StringBuilder value = new StringBuilder();
                int j = equals + 2; // past ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = line.substring(i + 1).strip();
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        } else {
            throw new IllegalArgumentException("not a sample: " + line);
        }
        String value = rest.split("\\s+")[0];
        double parsed = switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
        return new Sample(name, Map.copyOf(labels), parsed);
    }

    /** Every sample, in the order of the scrape. */
    public List<Sample> samples() {
        return samples;
    }

    /** The names of every series, sorted. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The samples named {@code name} with the given labels (name, value, name, value…). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).toList();
    }

    /**
     * The value of the one sample named {@code name} with the given labels.
     *
     * @throws AssertionError when there is none, or more than one
     */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in:\n" + text);
        }
        return found.getFirst().value();
    }

    /** Whether any sample carries the label {@code label} with {@code value}. */
    public boolean anyLabelled(String label, String value) {
        return samples.stream().anyMatch(s -> value.equals(s.labels().get(label)));
    }

    /** The scrape as received. */
    @Override
    public String toString() {
        return text;
    }
}
