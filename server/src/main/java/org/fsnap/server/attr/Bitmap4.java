package org.fsnap.server.attr;

import java.util.Arrays;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;

/**
 * bitmap4 of RFC 8881 section 3.3.7: an array of 32-bit words, bit {@code n} of the whole
 * being bit {@code n % 32} of word {@code n / 32}. Immutable; trailing zero words are dropped,
 * so equal sets compare equal whatever length they arrived with.
 */
public final class Bitmap4 {
    public static final Bitmap4 EMPTY = new Bitmap4(new int[0]);

    private final int[] words;

    private Bitmap4(int[] trimmedWords) {
        this.words = trimmedWords;
    }

    /** A bitmap from wire words (copied; trailing zero words dropped). */
    public static Bitmap4 ofWords(int... words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        return n == 0 ? EMPTY : new Bitmap4(Arrays.copyOf(words, n));
    }

    /** A bitmap with the given attribute bits set. */
    public static Bitmap4 of(int... bits) {
        int max = -1;
        for (int b : bits) {
            checkBit(b);
            max = Math.max(max, b);
        }
        int[] w = new int[max / 32 + 1];
        for (int b : bits) {
            w[b >>> 5] |= 1 << (b & 31);
        }
        return ofWords(w);
    }

    private static void checkBit(int bit) {
        if (bit < 0 || bit >= XdrInput.MAX_BITMAP_WORDS * 32) {
            throw new IllegalArgumentException("attribute bit " + bit);
        }
    }

    public static Bitmap4 decode(XdrInput in) throws XdrException {
        return ofWords(in.readBitmap());
    }

    public void encode(XdrOutput out) {
        out.writeBitmap(words);
    }

    public void encode(XdrBuffer out) {
        out.putInt(words.length);
        for (int w : words) {
            out.putInt(w);
        }
    }

    /** Bytes this bitmap takes on the wire. */
    public int encodedSize() {
        return 4 + 4 * words.length;
    }

    /** The words as on the wire (a copy, without trailing zero words). */
    public int[] words() {
        return words.clone();
    }

    public int wordCount() {
        return words.length;
    }

    public int word(int i) {
        return i < words.length ? words[i] : 0;
    }

    public boolean isSet(int bit) {
        if (bit < 0) {
            return false;
        }
        int i = bit >>> 5;
        return i < words.length && (words[i] & (1 << (bit & 31))) != 0;
    }

    public boolean isEmpty() {
        return words.length == 0;
    }

    /** The lowest set bit at or after {@code from}, or -1. */
    public int nextSetBit(int from) {
        if (from < 0) {
            from = 0;
        }
        int i = from >>> 5;
        if (i >= words.length) {
            return -1;
        }
        int w = words[i] & (-1 << (from & 31));
        while (true) {
            if (w != 0) {
                return (i << 5) + Integer.numberOfTrailingZeros(w);
            }
            if (++i >= words.length) {
                return -1;
            }
            w = words[i];
        }
    }

    public int cardinality() {
        int n = 0;
        for (int w : words) {
            n += Integer.bitCount(w);
        }
        return n;
    }

    /** The attribute numbers set, ascending. */
    public int[] toArray() {
        int[] a = new int[cardinality()];
        int k = 0;
        for (int b = nextSetBit(0); b >= 0; b = nextSetBit(b + 1)) {
            a[k++] = b;
        }
        return a;
    }

    public Bitmap4 and(Bitmap4 other) {
        int n = Math.min(words.length, other.words.length);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = words[i] & other.words[i];
        }
        return ofWords(w);
    }

    public Bitmap4 or(Bitmap4 other) {
        int n = Math.max(words.length, other.words.length);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = word(i) | other.word(i);
        }
        return ofWords(w);
    }

    /** The bits of this set that are not in {@code other}. */
    public Bitmap4 andNot(Bitmap4 other) {
        int[] w = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            w[i] = words[i] & ~other.word(i);
        }
        return ofWords(w);
    }

    public boolean intersects(Bitmap4 other) {
        int n = Math.min(words.length, other.words.length);
        for (int i = 0; i < n; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether every bit of {@code other} is set here. */
    public boolean containsAll(Bitmap4 other) {
        return other.andNot(this).isEmpty();
    }

    public Bitmap4 with(int bit) {
        checkBit(bit);
        int[] w = Arrays.copyOf(words, Math.max(words.length, (bit >>> 5) + 1));
        w[bit >>> 5] |= 1 << (bit & 31);
        return new Bitmap4(w);
    }

    public Bitmap4 without(int bit) {
        if (!isSet(bit)) {
            return this;
        }
        int[] w = words.clone();
        w[bit >>> 5] &= ~(1 << (bit & 31));
        return ofWords(w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitmap4 b && Arrays.equals(words, b.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int b = nextSetBit(0); b >= 0; b = nextSetBit(b + 1)) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(AttributeId.name(b));
        }
        return sb.append('}').toString();
    }
}
