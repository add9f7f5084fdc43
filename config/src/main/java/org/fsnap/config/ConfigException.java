package org.fsnap.config;

/** Bad configuration or command line; the message is what the operator reads. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
