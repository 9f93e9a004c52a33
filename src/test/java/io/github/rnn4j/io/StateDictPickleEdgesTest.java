package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edges of {@link StateDictPickle}, on pickles written by hand opcode by opcode after CPython's
 * Lib/pickletools.py (the opcode table: arguments, byte orders, which opcodes push) and Lib/pickle.py
 * ({@code load_long1} sign-extends, {@code load_binfloat} is big-endian, BININT is a signed little-endian int32).
 * A value the state dict must not hold is read back through the refusal that names it
 * ("entry 'a' is the value 67305985, not a tensor").
 */
class StateDictPickleEdgesTest {
    private static final int PROTO = 0x80;

    /** Bytes from ints and chars (one byte each), byte arrays and strings (ISO-8859-1, one byte a character). */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer b) {
                out.write(b);
            } else if (p instanceof Character c) {
                out.write(c);
            } else if (p instanceof byte[] a) {
                out.writeBytes(a);
            } else {
                out.writeBytes(((String) p).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    /** BINUNICODE: 'X', the UTF-8 length as a little-endian uint32, the UTF-8 bytes. */
    static byte[] binunicode(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return bytes('X', utf8.length & 0xFF, utf8.length >>> 8 & 0xFF, utf8.length >>> 16 & 0xFF,
                utf8.length >>> 24, utf8);
    }

    /** A protocol-2 pickle of {@code {'a': <value>}}: EMPTY_DICT, key, value, SETITEM, STOP. */
    private static byte[] dictWithValue(byte[] value) {
        return bytes(PROTO, 2, '}', binunicode("a"), value, 's', '.');
    }

    private static void assertEntryIs(byte[] value, String description) {
        assertThatThrownBy(() -> StateDictPickle.read(dictWithValue(value), "v.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessage("v.pkl: entry 'a' is " + description + ", not a tensor; a state dict maps parameter names"
                        + " to tensors (for a checkpoint dict, save its 'model' entry on its own:"
                        + " torch.save(checkpoint['model'], path))");
    }

    // ------------------------------------------------------------------ integers and floats

    @ParameterizedTest
    @CsvSource({
            // BININT: signed little-endian int32
            "'J,1,2,3,4', 67305985",
            "'J,254,255,255,255', -2",
            "'J,0,0,0,128', -2147483648",
            // BININT1, BININT2: unsigned
            "'K,255', 255",
            "'M,1,2', 513",
            // LONG1: n bytes, little-endian two's complement (pickle.decode_long)
            "'138,0', 0",
            "'138,1,255', -1",
            "'138,1,127', 127",
            "'138,2,255,127', 32767",
            "'138,2,0,128', -32768",
            "'138,3,1,2,3', 197121",
            "'138,8,254,255,255,255,255,255,255,255', -2",
            "'138,8,1,2,3,4,5,6,7,8', 578437695752307201",
            "'138,8,255,255,255,255,255,255,255,127', 9223372036854775807"})
    void integersAreDecodedAsPickleDefinesThem(String opcode, long expected) {
        Object[] parts = Arrays.stream(opcode.split(",")).map(s -> s.length() == 1 && !Character.isDigit(
                s.charAt(0)) ? (Object) (int) s.charAt(0) : (Object) Integer.parseInt(s)).toArray();
        assertEntryIs(bytes(parts), "the value " + expected);
    }

    @Test
    void binfloatIsABigEndianDouble() {
        // struct.pack('>d', 0.1) = 3f b9 99 99 99 99 99 9a
        assertEntryIs(bytes('G', 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a), "the value 0.1");
        assertEntryIs(bytes('G', 0xc0, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18), "the value -3.141592653589793");
    }

    @Test
    void aLong1OfMoreThan64BitsIsRefusedAndOf64BitsIsRead() {
        assertThatThrownBy(() -> StateDictPickle.read(dictWithValue(bytes(0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
                "big.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessage("big.pkl: LONG1 at byte 9 has 9 bytes; integers beyond 64 bits are not part of a state"
                        + " dict");
    }

    // ------------------------------------------------------------------ other values, as messages name them

    @Test
    void otherValuesAreNamedInTheRefusal() {
        assertEntryIs(bytes('N'), "None");
        assertEntryIs(bytes(0x88), "the value true");
        assertEntryIs(bytes(0x89), "the value false");
        assertEntryIs(bytes(']'), "a list");
        assertEntryIs(bytes('}'), "a dict");
        assertEntryIs(bytes(')'), "a tuple of 0");
        assertEntryIs(bytes('K', 1, 'K', 2, 0x86), "a tuple of 2");
        assertEntryIs(bytes('(', 'K', 1, 'K', 2, 'K', 3, 't'), "a tuple of 3");
        assertEntryIs(bytes('c', "collections\nOrderedDict\n"), "the global collections.OrderedDict");
        assertEntryIs(binunicode("weight"), "the string 'weight'");
        assertEntryIs(bytes(0x8c, 2, "hi"), "the string 'hi'");
    }

    @Test
    void aStringIsShownInFullUpTo60CharactersAndCutAfter() {
        String sixty = "0123456789".repeat(6);
        assertEntryIs(binunicode(sixty), "the string '" + sixty + "'");
        assertEntryIs(binunicode(sixty + "X"), "the string '" + sixty + "...'");
    }

    @Test
    void appendAndAppendsFillAList() {
        // [1, 2, 3] as pickle writes it: EMPTY_LIST, MARK, items, APPENDS; then one APPEND
        assertEntryIs(bytes(']', '(', 'K', 1, 'K', 2, 'e', 'K', 3, 'a'), "a list");
        // an APPEND on something that is not a list is damage
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, '}', 'K', 1, 'a', '.'), "app.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("app.pkl: damaged pickle: APPEND at byte 5 on a dict");
    }

    @Test
    void aTensorAndAStorageAreNamedWhereNoneIsExpected() {
        byte[] tensor = TorchArchiveEdgesTest.tensor("0", 4, 0, new long[] {4}, new long[] {1});
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, tensor, '.'), "t.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("t.pkl: the pickle holds a tensor, not a state dict");
        byte[] storage = TorchArchiveEdgesTest.storage("0", 4);
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, storage, ')', 'R', '.'), "s.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessageEndingWith("applies a storage to a tuple of 0, expected an allowed global and a tuple");
    }

    // ------------------------------------------------------------------ opcodes of protocols 4 and 5

    @Test
    void protocol5IsKnownAnd6IsNot() throws Exception {
        assertThat(StateDictPickle.read(bytes(PROTO, 5, '}', '.'), "p5.pkl")).isEmpty();
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 6, '}', '.'), "p6.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("p6.pkl: damaged pickle: pickle protocol 6 is unknown");
    }

    @Test
    void stackGlobalAndFrameAsProtocol4WritesThem() throws Exception {
        // FRAME <8-byte length>, SHORT_BINUNICODE 'collections', MEMOIZE, SHORT_BINUNICODE 'OrderedDict', MEMOIZE,
        // STACK_GLOBAL, EMPTY_TUPLE, REDUCE, STOP (Python's pickle.loads gives OrderedDict() for these bytes); the
        // FRAME's 8-byte length is a hint only and is skipped
        byte[] body = bytes(0x8c, 11, "collections", 0x94, 0x8c, 11, "OrderedDict", 0x94, 0x93, ')', 'R', '.');
        byte[] pickle = bytes(PROTO, 4, 0x95, body.length, 0, 0, 0, 0, 0, 0, 0, body);
        assertThat(StateDictPickle.read(pickle, "p4.pkl")).isEmpty();
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 4, 'K', 1, 0x8c, 1, "x", 0x93, '.'), "sg.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("sg.pkl: damaged pickle: STACK_GLOBAL at byte 7 takes two strings");
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 4, 0x8c, 1, "x", 'K', 1, 0x93, '.'), "sg.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("sg.pkl: damaged pickle: STACK_GLOBAL at byte 7 takes two strings");
    }

    @Test
    void aRebuildTensorWithTheMetadataArgumentIsRead() throws Exception {
        // _rebuild_tensor_v2 has a 7th argument (metadata) when torch saves tensor metadata
        byte[] seven = TorchArchiveEdgesTest.tensor("0", 4, 0, new long[] {4}, new long[] {1}, bytes('}'));
        Map<String, StateDictPickle.TensorView> sd = StateDictPickle.read(
                bytes(PROTO, 2, '}', binunicode("w"), seven, 's', '.'), "seven.pkl");
        assertThat(sd.get("w").shape()).containsExactly(4);
        byte[] five = bytes('c', "torch._utils\n_rebuild_tensor_v2\n", '(', TorchArchiveEdgesTest.storage("0", 4),
                'K', 0, 'K', 4, 0x85, 'K', 1, 0x85, 0x89, 't', 'R');
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, '}', binunicode("w"), five, 's', '.'),
                "five.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("takes 6 or 7 arguments, got 5");
    }

    @Test
    void buildOnAnythingButADictIsRefused() {
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, ']', '}', 'b', '.'), "b.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("b.pkl: BUILD at byte 4 sets the state of a list to a dict");
    }

    // ------------------------------------------------------------------ the memo

    @Test
    void longBinputAndLongBingetShareTheMemo() {
        // {'a': 'a'}: the key is stored with LONG_BINPUT 0 and fetched back as the value with LONG_BINGET 0
        assertEntryIs(bytes('r', 0, 0, 0, 0, 'j', 0, 0, 0, 0), "the string 'a'");
    }

    @ParameterizedTest
    @CsvSource({"0,1,0,0, 256", "0,0,1,0, 65536", "0,0,0,1, 16777216"})
    void aLongBingetIndexIsAFullLittleEndianUint32(int b0, int b1, int b2, int b3, long index) {
        // memo 0 is stored; LONG_BINGET asks for another index, which was never stored. The pickle is padded after
        // its STOP so that the index is within its length.
        byte[] head = bytes(PROTO, 2, '}', 'q', 0, 'j', b0, b1, b2, b3, '.');
        byte[] pickle = Arrays.copyOf(head, (int) index + 16);
        assertThatThrownBy(() -> StateDictPickle.read(pickle, "memo.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("memo.pkl: damaged pickle: memo entry " + index + " read at byte 5 was never stored");
    }

    @Test
    void aLongBinputIndexMayEqualThePickleLength() throws Exception {
        // 9 bytes: PROTO 2, EMPTY_DICT, LONG_BINPUT 9, STOP
        byte[] pickle = bytes(PROTO, 2, '}', 'r', 9, 0, 0, 0, '.');
        assertThat(pickle).hasSize(9);
        assertThat(StateDictPickle.read(pickle, "idx.pkl")).isEmpty();
        byte[] over = bytes(PROTO, 2, '}', 'r', 10, 0, 0, 0, '.');
        assertThatThrownBy(() -> StateDictPickle.read(over, "idx.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("idx.pkl: damaged pickle: the opcode at byte 3 declares 10 bytes, more than the pickle"
                        + " holds");
    }

    // ------------------------------------------------------------------ the stack, with byte positions

    @Test
    void aPopBelowTheTopMarkIsAnUnderflowAtTheOpcode() {
        // PROTO 2, EMPTY_DICT, MARK, STOP: STOP may not take the dict that lies below the mark
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, '}', '(', '.'), "u.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("u.pkl: damaged pickle: stack underflow at byte 4");
    }

    @Test
    void anAppendOnAnEmptyStackIsAnUnderflowAtTheOpcode() {
        // PROTO 2, NONE, APPEND: APPEND pops None, then finds no list
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 'N', 'a', '.'), "p.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("p.pkl: damaged pickle: stack underflow at byte 3");
    }

    @Test
    void aTupleWithoutAMarkIsRefusedAtItsOpcode() {
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 't', '.'), "t.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pkl: damaged pickle: no MARK before the opcode at byte 2");
    }

    // ------------------------------------------------------------------ truncated arguments

    @Test
    void aGlobalWithoutItsNewlinesIsTruncated() {
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 'c', "collections"), "g.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("g.pkl: damaged pickle: truncated GLOBAL at byte 3");
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 'c', "collections\nOrderedDict"), "g.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("g.pkl: damaged pickle: truncated GLOBAL at byte 15");
    }

    @Test
    void aStringMayEndExactlyAtTheEndOfThePickleButNotBeyond() {
        // the string fits; what is missing is the STOP after it
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 0x8c, 2, "ab"), "s.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s.pkl: damaged pickle: the pickle ends without a STOP opcode");
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 0x8c, 3, "ab"), "s.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s.pkl: damaged pickle: the string at byte 2 declares 3 bytes, the pickle has 2 left");
    }

    // ------------------------------------------------------------------ refused opcodes

    @Test
    void aRefusedOpcodeIsNamedWithItsHexCode() {
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 'i', "os\nsystem\n", '.'), "i.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("i.pkl: pickle opcode INST (0x69) at byte 2 is not part of a state dict");
        assertThatThrownBy(() -> StateDictPickle.read(bytes(PROTO, 2, 0x01, '.'), "x.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("x.pkl: pickle opcode 0x01 at byte 2 is not part of a state dict");
    }
}
