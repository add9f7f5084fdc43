package org.fsnap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code [schedule NAME]} section: take a snapshot of every file matching {@code match} every
 * {@code every}, named {@code NAME-yyyyMMdd'T'HHmm'Z'}, and prune the schedule's own snapshots by
 * {@code keep}.
 *
 * @param name   the section's name; also the prefix of the snapshots' names
 * @param match  globs on the path relative to the export (a glob without '/' matches the file
 *               name in any directory)
 * @param export only files of this export (absolute path), or of all exports
 * @param every  the interval; snapshots are taken at multiples of it since the epoch (UTC)
 * @param keep   the retention rules
 * @param line   where the section starts, for messages
 */
public record Schedule(String name, List<String> match, Optional<Path> export, Duration every, Retention keep,
                       int line) {
}
