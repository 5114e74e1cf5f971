package org.opencache.node.store;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one purge drops ({@link ObjectStore#purge}): in the named instances, the objects stored
 * under one of {@code keys} or one of their variants, and every object whose key starts with
 * one of {@code prefixes}.
 *
 * <p>A variant's key is its URL's key, a space, then what selects the variant (a space cannot
 * occur in a request target, so no URL's key has one); purging a key takes its variants too.
 * The index holds digests only, so variants and prefixes are found by reading the records'
 * headers: {@code scanVariants} says whether any of {@code keys} may have variants stored (its
 * stored response had {@code Vary}); without it and without prefixes a purge is one removal
 * per key.
 *
 * @param instances    the instances' canonical expressions
 * @param keys         cache keys (URLs) to drop with their variants
 * @param prefixes     key prefixes to drop everything under
 * @param scanVariants whether variants of {@code keys} may be stored
 */
public record PurgeMatch(Set<String> instances, Set<String> keys, List<String> prefixes, boolean scanVariants) {

    /** Copies the collections. */
    public PurgeMatch {
        instances = Set.copyOf(instances);
        keys = Set.copyOf(keys);
        prefixes = List.copyOf(prefixes);
    }

    /** Whether the purge drops {@code key}. */
    public boolean matches(StoreKey key) {
        if (!instances.contains(key.instance())) {
            return false;
        }
        String name = key.key();
        if (keys.contains(name)) {
            return true;
        }
        int space = name.indexOf(' ');
        if (space > 0 && keys.contains(name.substring(0, space))) {
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the purge must read the records' headers (a prefix, or variants to find). */
    boolean needsScan() {
        return !prefixes.isEmpty() || scanVariants && !keys.isEmpty();
    }

    @Override
    public String toString() {
        return "purge of " + (keys.isEmpty() ? "" : keys + " ") + (prefixes.isEmpty() ? "" : "prefixes " + prefixes + " ")
                + "in " + Objects.toString(instances);
    }
}
