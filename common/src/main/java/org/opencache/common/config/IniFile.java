package org.opencache.common.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Reads the {@code [config]} section of an INI file into {@code key -> value} pairs, with
 * Commons Configuration's {@link INIConfiguration}.
 *
 * <p>What INIConfiguration already does, and we rely on: comment lines start with {@code ;} or
 * {@code #}; an inline comment starts with whitespace then {@code ;} or {@code #}
 * ({@code a = 1 ; note} is {@code 1}, {@code a = 1;2} stays {@code 1;2}); values in {@code "..."}
 * or {@code '...'} lose their quotes and may hold {@code ;} and {@code #}; a line ending in
 * {@code \} continues on the next one; {@code :} works like {@code =}. What it tolerates and we
 * do not: keys outside a section, other sections, a key given twice, and lines without
 * {@code =} (which it reads as a key with an empty value; a space in the key gives them away).
 */
final class IniFile {

    /** The one section OpenCache reads, as in the original files. */
    static final String SECTION = "config";

    /** Far above any real configuration; stops a mistyped path to a huge file early. */
    private static final long MAX_BYTES = 1L << 20;

    private IniFile() {
    }

    /**
     * The pairs of {@code [config]} in file order.
     *
     * @throws ConfigException when the file is missing, unreadable, not INI text, or breaks the
     *                         rules above; the message names the file as given
     */
    static Map<String, String> read(Path file) throws ConfigException {
        String source = file.toString();
        INIConfiguration ini = new INIConfiguration();
        try {
            ini.read(new StringReader(text(file, source)));
        } catch (ConfigurationException | IOException e) {
            throw new ConfigException(source, null, "is not an INI file: " + e.getMessage(), e);
        }
        Map<String, String> values = null;
        for (String section : ini.getSections()) {
            if (section == null) {
                throw new ConfigException(source, firstKey(ini.getSection(null)),
                        "is outside any section; put it under [" + SECTION + "]");
            }
            if (!section.strip().equals(SECTION)) {
                throw new ConfigException(source, null,
                        "unknown section [" + section.strip() + "] (OpenCache reads only [" + SECTION + "])");
            }
            values = pairs(ini.getSection(section), source);
        }
        if (values == null) {
            throw new ConfigException(source, null, "has no [" + SECTION + "] section");
        }
        return values;
    }

    private static String text(Path file, String source) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(source, null, "is a directory, not a file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(source, null, "is larger than 1MB; not a configuration file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(source, null, "cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new ConfigException(source, null, "cannot be read: " + e.getMessage(), e);
        }
        String text = decode(bytes, source);
        if (text.indexOf('\0') >= 0) {
            throw new ConfigException(source, null, "is not a text file");
        }
        // Editors on Windows may start the file with a byte order mark; it would glue onto the
        // first line and turn a comment into a key.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String decode(byte[] bytes, String source) throws ConfigException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, null, "is not a text file (not UTF-8)", e);
        }
    }

    private static Map<String, String> pairs(SubnodeConfiguration section, String source) throws ConfigException {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Iterator<String> keys = section.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            String name = displayName(key);
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(source, null, "line '" + name.strip() + "' is not 'key = value'");
            }
            Object value = section.getProperty(key);
            if (value instanceof List<?>) {
                throw new ConfigException(source, name, "is set more than once");
            }
            pairs.put(name, value == null ? "" : value.toString());
        }
        return pairs;
    }

    private static String firstKey(SubnodeConfiguration section) {
        Iterator<String> keys = section.getKeys();
        return keys.hasNext() ? displayName(keys.next()) : "";
    }

    /** INIConfiguration escapes a dot in a key as two dots; show the key as written. */
    private static String displayName(String key) {
        return key.replace("..", ".");
    }
}
