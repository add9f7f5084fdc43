package org.fsnap.server.vfs;

/** One READDIR entry: its name, its cookie (to continue after it), its inode and attributes. */
public record DirectoryEntry(String name, long cookie, Inode inode, Stat stat) {
}
