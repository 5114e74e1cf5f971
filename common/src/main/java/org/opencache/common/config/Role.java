package org.opencache.common.config;

/** The process role a configuration is read for; one file may configure both. */
enum Role {
    CONTROLLER("controller"),
    NODE("node");

    private final String noun;

    Role(String noun) {
        this.noun = noun;
    }

    /** The role as a word for log lines. */
    String noun() {
        return noun;
    }
}
