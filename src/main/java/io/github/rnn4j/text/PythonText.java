package io.github.rnn4j.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python 3's string operations that Keras's text code uses, reproduced exactly: {@code str.lower()},
 * {@code str.translate} over code points and {@code str.split(sep)} with an explicit separator.
 *
 * <p>Java's {@code String.toLowerCase(Locale.ROOT)} differs from Python's {@code str.lower()} twice: in the
 * Final_Sigma rule (Java looks for word boundaries, Python for
 * {@code \p{cased}\p{case-ignorable}*Σ!(\p{case-ignorable}*\p{cased})}, CPython's
 * {@code Objects/unicodeobject.c handle_capital_sigma}), and in the Unicode version (Java 17 has Unicode 13, Python
 * 3.11 Unicode 14, and each JDK moves on). So this class lowers one code point at a time from tables taken from
 * Python itself ({@link PythonUnicode}), plus the one unconditional multi-character mapping
 * ({@code U+0130 → i U+0307}) and CPython's sigma rule. Python strings are sequences of code points, so everything
 * here walks code points, never UTF-16 chars; a lone surrogate is kept as it is. {@code unicode_lower.json}, written by
 * {@code tools/fixtures/gen_text.py}, checks every code point. Stateless and thread-safe.
 */
final class PythonText {
    private PythonText() {
    }

    /** {@code text.lower()} as Python 3 computes it. */
    static String lower(String text) {
        StringBuilder sb = null;
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            int low;
            if (cp == 0x130) {
                sb = copy(sb, text, i);
                sb.append('i').append('\u0307');
                i += len;
                continue;
            } else if (cp == 0x3A3) {
                low = finalSigma(text, i) ? 0x3C2 : 0x3C3;
            } else {
                low = lowerCodePoint(cp);
            }
            if (low != cp && sb == null) {
                sb = copy(null, text, i);
            }
            if (sb != null) {
                sb.appendCodePoint(low);
            }
            i += len;
        }
        return sb == null ? text : sb.toString();
    }

    private static StringBuilder copy(StringBuilder sb, String text, int upTo) {
        if (sb != null) {
            return sb;
        }
        StringBuilder b = new StringBuilder(text.length() + 8);
        b.append(text, 0, upTo);
        return b;
    }

    /** The simple lowercase mapping of one code point (not U+0130 or U+03A3), from Python's tables. */
    static int lowerCodePoint(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }
        int[] t = PythonUnicode.LOWER;
        int lo = 0;
        int hi = t.length / 4 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int first = t[4 * mid];
            if (cp < first) {
                hi = mid - 1;
            } else if (cp > t[4 * mid + 1]) {
                lo = mid + 1;
            } else {
                return (cp - first) % t[4 * mid + 2] == 0 ? cp + t[4 * mid + 3] : cp;
            }
        }
        return cp;
    }

    /** CPython's {@code handle_capital_sigma}: whether the Σ at {@code i} is in the Final_Sigma context. */
    private static boolean finalSigma(String text, int i) {
        int j = i;
        int c = 0;
        boolean found = false;
        while (j > 0) {
            c = text.codePointBefore(j);
            j -= Character.charCount(c);
            if (!isCaseIgnorable(c)) {
                found = true;
                break;
            }
        }
        if (!found || !isCased(c)) {
            return false;
        }
        j = i + 1;
        while (j < text.length()) {
            c = text.codePointAt(j);
            if (!isCaseIgnorable(c)) {
                return !isCased(c);
            }
            j += Character.charCount(c);
        }
        return true;
    }

    /** Unicode's {@code Cased} (Lowercase, Uppercase or titlecase), for a code point that is not case-ignorable. */
    static boolean isCased(int cp) {
        return inRanges(PythonUnicode.CASED, cp);
    }

    /**
     * Unicode's {@code Case_Ignorable}: Word_Break MidLetter, MidNumLet or Single_Quote, or general category Mn, Me,
     * Cf, Lm or Sk.
     */
    static boolean isCaseIgnorable(int cp) {
        return inRanges(PythonUnicode.CASE_IGNORABLE, cp);
    }

    private static boolean inRanges(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** {@code text.split(sep)} for a non-empty separator: every occurrence, left to right, empty parts kept. */
    static List<String> split(String text, String sep) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int at;
        while ((at = text.indexOf(sep, start)) >= 0) {
            parts.add(text.substring(start, at));
            start = at + sep.length();
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The code points of a string, one string each, as iterating a Python {@code str} gives them. */
    static List<String> codePoints(String text) {
        List<String> out = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            out.add(text.substring(i, i + len));
            i += len;
        }
        return out;
    }
}
