package org.fsnap.server.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log.level} of the configuration to logback at start-up. */
public final class LogSettings {
    private LogSettings() {
    }

    /**
     * Sets the root level (error, warn, info, debug, trace). The audit logger stays at INFO
     * even when the root is quieter, so {@code log.level = warn} keeps the audit lines; turning
     * them off is {@code log.audit = no}.
     */
    public static void apply(String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return; // another slf4j provider: leave its configuration alone
        }
        Level root = Level.toLevel(level, Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(root);
        Logger audit = context.getLogger(AuditLog.LOGGER);
        audit.setLevel(root.isGreaterOrEqual(Level.INFO) ? Level.INFO : root);
    }
}
