package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the segment files at start, and deletes what an interrupted write or a
 * crash left behind: temp files, large segments whose first record or body is incomplete, and
 * the files of an older store format. Torn records inside a shared segment are skipped (one WARN
 * per segment saying how many bytes); everything else is served.
 *
 * <p>Of several records of one key the one with the highest stamp wins, and a tombstone beats
 * the records older than it; an expired record counts as a tombstone of itself. The stamps are
 * kept in a second compact index for the length of the scan only (its location field holds the
 * stamp).
 */
final class IndexLoader {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    private final SegmentLayout layout;
    private final long now;
    private final CompactIndex index = new CompactIndex();
    private final CompactIndex stamps = new CompactIndex();
    private final InstanceTable instances = new InstanceTable();
    private SegmentTable segments;
    private long lastStamp;

    /**
     * What the scan found.
     *
     * @param index     every live key
     * @param segments  every segment file
     * @param instances the instances and their counts
     * @param lastStamp the highest stamp seen; new records take higher ones
     */
    record Loaded(CompactIndex index, SegmentTable segments, InstanceTable instances, long lastStamp) {
    }

    private IndexLoader(SegmentLayout layout, Instant now) {
        this.layout = layout;
        this.now = now.getEpochSecond();
    }

    /** Scans the files under {@code layout} (directories already created); expired records are skipped as of {@code now}. */
    static Loaded load(SegmentLayout layout, Instant now) throws IOException {
        IndexLoader loader = new IndexLoader(layout, now);
        loader.deleteLeftovers();
        return loader.scan();
    }

    private Loaded scan() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(layout.segmentDir())) {
            for (Path child : children) {
                if (SegmentLayout.sequenceOf(child) >= 0 && Files.isRegularFile(child)) {
                    files.add(child);
                } else {
                    LOG.warn("Deleting {}: not a segment file", child);
                    deleteTree(child);
                }
            }
        }
        files.sort(Comparator.comparingLong(SegmentLayout::sequenceOf));
        long nextSeq = files.isEmpty() ? 1 : SegmentLayout.sequenceOf(files.get(files.size() - 1)) + 1;
        segments = new SegmentTable(nextSeq);
        for (Path file : files) {
            try {
                scanSegment(file);
            } catch (IOException e) {
                LOG.warn("Cannot read segment {}; starting without it: {}", file, e.toString());
            }
        }
        for (Segment segment : List.copyOf(segments.all())) {
            if (segment.liveKeys() == 0 && segment.large()) {
                segments.remove(segment);
                SegmentLayout.deleteQuietly(segment.path());
            }
        }
        stamps.clear();
        return new Loaded(index, segments, instances, lastStamp);
    }

    private void scanSegment(Path file) throws IOException {
        long seq = SegmentLayout.sequenceOf(file);
        boolean large = SegmentLayout.isLarge(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            SegmentReader reader = new SegmentReader(channel, size);
            Segment segment;
            if (large) {
                SegmentReader.Record first = reader.next();
                RecordFormat.Preamble head = first == null ? null : first.preamble();
                if (head == null || first.offset() != 0 || head.type() != RecordFormat.OBJECT || head.inline()
                        || head.bodyOffset() != RecordFormat.aligned(RecordFormat.PREAMBLE + head.headerLength())
                        || head.bodyOffset() + head.bodyLength() > size) {
                    LOG.warn("Deleting {}: its body is incomplete or its first record unreadable", file);
                    SegmentLayout.deleteQuietly(file);
                    return;
                }
                segment = Segment.large(segments.newId(), seq, file, size, head.bodyOffset(), head.bodyLength());
                segments.add(segment);
                apply(segment, first);
                reader.skipTo(head.bodyOffset() + head.bodyLength());
            } else {
                segment = Segment.shared(segments.newId(), seq, file);
                segment.size(size);
                segments.add(segment);
            }
            for (SegmentReader.Record record = reader.next(); record != null; record = reader.next()) {
                apply(segment, record);
            }
            if (reader.skipped() > 0) {
                LOG.warn("Skipped {} bytes of unreadable records in {} (a write interrupted by a crash, or a "
                        + "damaged disk)", reader.skipped(), file);
            }
        }
    }

    private void apply(Segment segment, SegmentReader.Record record) throws IOException {
        RecordFormat.Preamble preamble = record.preamble();
        StoreDigest digest = preamble.digest();
        long stamp = preamble.stamp();
        lastStamp = Math.max(lastStamp, stamp);
        if (preamble.type() == RecordFormat.TOMBSTONE || preamble.expires() <= now) {
            IndexSlot known = stamps.get(digest.hi(), digest.lo());
            if (known == null || known.location() < stamp) {
                unindex(digest);
                stamps.put(digest.hi(), digest.lo(), new IndexSlot(stamp, 0, 0, (short) 0));
            }
            return;
        }
        if (segment.large() && preamble.bodyOffset() != segment.bodyOffset()) {
            return; // not a record of this segment's body: damaged
        }
        IndexSlot known = stamps.get(digest.hi(), digest.lo());
        if (known != null && known.location() > stamp) {
            return; // a newer record or tombstone of the key was seen already
        }
        short instance = instances.id(RecordFormat.instanceOf(record.header()));
        unindex(digest);
        IndexSlot slot = Slots.slot(segment, record.offset(), preamble.headerLength(), preamble.bodyLength(),
                preamble.expires(), instance);
        index.put(digest.hi(), digest.lo(), slot);
        if (segment.attach(instance)) {
            instances.added(instance, preamble.bodyLength());
        }
        stamps.put(digest.hi(), digest.lo(), new IndexSlot(stamp, 0, 0, (short) 0));
    }

    private void unindex(StoreDigest digest) {
        IndexSlot old = index.remove(digest.hi(), digest.lo());
        if (old == null) {
            return;
        }
        Segment segment = segments.get(Slots.segment(old.location()));
        if (segment.detach(old.instance())) {
            instances.removed(old.instance(), Slots.bodyLength(old));
        }
    }

    private void deleteLeftovers() throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.tempDir())) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && SegmentLayout.deleteQuietly(file)) {
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            LOG.warn("Deleted {} temp files of writes interrupted before the last stop, in {}", deleted,
                    layout.tempDir());
        }
        for (String old : List.of("meta", "bodies")) {
            Path dir = layout.root().resolve(old);
            if (Files.isDirectory(dir)) {
                LOG.warn("Deleting {}: objects stored by an older OpenCache in a format this one does not read "
                        + "(they are fetched again when asked for)", dir);
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                SegmentLayout.deleteQuietly(path);
            }
        }
    }
}
