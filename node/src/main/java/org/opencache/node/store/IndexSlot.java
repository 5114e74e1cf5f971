package org.opencache.node.store;

/**
 * What the {@link CompactIndex} keeps for one key, as the store packs it. The index never
 * interprets these values (only {@code location} is compared, for the conditional changes): what
 * they mean, and how they are encoded, is the store's business, so that the index stays a table of
 * primitives that costs a few dozen bytes per object.
 *
 * @param location where the object lies (for example a file or segment number and an offset)
 * @param size     the object's size, or whatever the store packs next to the location
 * @param expires  when the object expires, in the store's own unit and epoch
 * @param instance the instance the object belongs to, as a number the store assigns
 */
record IndexSlot(long location, long size, int expires, short instance) {
}
