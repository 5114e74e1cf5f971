package org.opencache.common.config;

/** The process role a configuration is read for; one file may configure both. */
public enum Role {
    /** The controller process. */
    CONTROLLER("controller"),
    /** A node process. */
    NODE("node");

    private final String noun;

    Role(String noun) {
        this.noun = noun;
    }

    /** The role as a word for log lines and the key table. */
    String noun() {
        return noun;
    }
}
