/** How content is captured and written back: FICLONE, copy_file_range or a streamed copy, chosen per filesystem. */
package org.fsnap.snapshot.clone;
