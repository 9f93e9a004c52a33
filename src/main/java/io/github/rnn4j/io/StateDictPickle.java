package io.github.rnn4j.io;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted unpickler for the {@code data.pkl} record of a {@code torch.save(model.state_dict())} archive: a small
 * interpreter of pickle protocol 2 (CPython Lib/pickle.py, Lib/pickletools.py) that executes nothing.
 *
 * <p>It knows only the opcodes a state dict needs and only these globals: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and the storage types of
 * float64, float32, float16, bfloat16 and int64. "Calling" one of them builds a plain Java description (an ordered
 * map, a {@link TensorView}); persistent ids {@code ('storage', StorageType, key, location, numel)} become
 * {@link StorageRef}s. Storages are not read here: the caller reads them after the whole pickle has been accepted,
 * so a disallowed global is refused before any tensor data is touched.
 *
 * <p>Every other opcode or global is refused with an {@link UnsupportedFeatureException} naming it. Not
 * thread-safe: one instance reads one pickle.
 */
final class StateDictPickle {
    /** The storage types rnn4j reads, by global name, with their element types. */
    private static final Map<String, ElementType> STORAGES = Map.of(
            "torch.DoubleStorage", ElementType.F64,
            "torch.FloatStorage", ElementType.F32,
            "torch.HalfStorage", ElementType.F16,
            "torch.BFloat16Storage", ElementType.BF16,
            "torch.LongStorage", ElementType.I64);
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Set<String> CALLABLES = Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER);
    static final String SUPPORTED_DTYPES = "float64 (DoubleStorage), float32 (FloatStorage), float16 (HalfStorage),"
            + " bfloat16 (BFloat16Storage), int64 (LongStorage)";
    static final String ADVICE = "save the parameters with torch.save(model.state_dict(), path) and build the"
            + " architecture in Java (see io.github.rnn4j.io.PyTorch)";

    /** A storage record named by a persistent id: {@code data/<key>}, {@code numel} elements of {@code type}. */
    record StorageRef(String key, ElementType type, String typeName, long numel) {
    }

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a strided view into a storage. */
    record TensorView(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    /** A global name the pickle pushed; only the allowed ones are ever created. */
    private record Global(String name) {
    }

    /** A Python tuple. */
    private record Tuple(List<Object> items) {
    }

    /** A Python dict or OrderedDict, in insertion order. */
    private static final class Dict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private final byte[] pickle;
    private final String source;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private StateDictPickle(byte[] pickle, String source) {
        this.pickle = pickle;
        this.source = source;
    }

    /**
     * Interprets a state dict pickle.
     *
     * @param source the record in messages, for example {@code model.pt[model/data.pkl]}
     * @return the parameters by name, in the pickle's order
     * @throws UnsupportedFeatureException for a global or opcode outside the state-dict subset, naming it
     * @throws FileFormatException when the pickle is damaged or is not a dict of tensors
     */
    static Map<String, TensorView> read(byte[] pickle, String source) throws FileFormatException {
        Object result = new StateDictPickle(pickle, source).run();
        if (!(result instanceof Dict dict)) {
            throw new UnsupportedFeatureException(source + ": the pickle holds " + describe(result)
                    + ", not a state dict (a dict of tensors); " + ADVICE);
        }
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new UnsupportedFeatureException(source + ": a state dict key is " + describe(e.getKey())
                        + ", expected a string");
            }
            if (!(e.getValue() instanceof TensorView view)) {
                throw new UnsupportedFeatureException(source + ": entry '" + key + "' is " + describe(e.getValue())
                        + ", not a tensor; a state dict maps parameter names to tensors (for a checkpoint dict,"
                        + " save its 'model' entry on its own: torch.save(checkpoint['model'], path))");
            }
            tensors.put(key, view);
        }
        return tensors;
    }

    private Object run() throws FileFormatException {
        while (true) {
            if (pos >= pickle.length) {
                throw damaged("the pickle ends without a STOP opcode");
            }
            int at = pos;
            int op = pickle[pos++] & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw damaged("pickle protocol " + protocol + " is unknown");
                    }
                }
                case 0x95 -> u64(); // FRAME (protocol 4): only a length hint
                case '.' -> { // STOP
                    Object result = pop();
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw damaged("the pickle stops with " + stack.size() + " values left on its stack");
                    }
                    return result;
                }
                case 'c' -> { // GLOBAL module\nname\n
                    String module = line();
                    String name = line();
                    push(global(module + "." + name));
                }
                case 0x93 -> { // STACK_GLOBAL (protocol 4)
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw damaged("STACK_GLOBAL at byte " + at + " takes two strings");
                    }
                    push(global(m + "." + n));
                }
                case '(' -> marks.add(stack.size()); // MARK
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(1)); // TUPLE1
                case 0x86 -> push(tuple(2)); // TUPLE2
                case 0x87 -> push(tuple(3)); // TUPLE3
                case '}' -> push(new Dict()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek(), at).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), at).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = key(pop(), at);
                    dict(peek(), at).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw damaged("SETITEMS at byte " + at + " has an odd number of items");
                    }
                    Dict d = dict(peek(), at);
                    for (int i = 0; i < items.size(); i += 2) {
                        d.put(key(items.get(i), at), items.get(i + 1));
                    }
                }
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
                case 'J' -> push((long) (u8() | u8() << 8 | u8() << 16 | u8() << 24)); // BININT (signed)
                case 0x8a -> push(long1(at)); // LONG1
                case 'G' -> push(Double.longBitsToDouble(beLong())); // BINFLOAT
                case 'X' -> push(utf8(u32(at), at)); // BINUNICODE
                case 0x8c -> push(utf8(u8(), at)); // SHORT_BINUNICODE (protocol 4)
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(at), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE (protocol 4)
                case 'h' -> push(memoGet(u8(), at)); // BINGET
                case 'j' -> push(memoGet(u32(at), at)); // LONG_BINGET
                case 'Q' -> push(persistentLoad(pop(), at)); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args, at));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    build(peek(), state, at);
                }
                default -> throw new UnsupportedFeatureException(source + ": pickle opcode " + opcodeName(op)
                        + " at byte " + at + " is not part of a state dict and is refused (this reader executes"
                        + " nothing); " + ADVICE);
            }
        }
    }

    private Global global(String name) throws UnsupportedFeatureException {
        if (CALLABLES.contains(name) || STORAGES.containsKey(name)) {
            return new Global(name);
        }
        String what;
        if (name.startsWith("torch.nn.") || name.startsWith("__main__.")) {
            what = "the file holds a whole pickled module (torch.save(model)), which would need its Python class;";
        } else if (name.endsWith("Storage") && name.startsWith("torch.")) {
            throw new UnsupportedFeatureException(source + ": storage type " + name + " is not supported;"
                    + " supported dtypes: " + SUPPORTED_DTYPES + " (convert with model.double() before"
                    + " torch.save)");
        } else {
            what = "rnn4j reads only plain state dicts and never runs code from a pickle;";
        }
        throw new UnsupportedFeatureException(source + ": the pickle refers to the global " + name
                + ", which is not allowed: " + what + " " + ADVICE + "; allowed globals: " + ORDERED_DICT + ", "
                + REBUILD_TENSOR + ", " + REBUILD_PARAMETER + ", " + String.join(", ", STORAGES.keySet().stream()
                .sorted().toList()));
    }

    private Object reduce(Object callable, Object args, int at) throws FileFormatException {
        if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
            throw damaged("REDUCE at byte " + at + " applies " + describe(callable) + " to " + describe(args)
                    + ", expected an allowed global and a tuple");
        }
        List<Object> a = t.items();
        switch (g.name()) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) {
                    throw damaged("OrderedDict at byte " + at + " is built with arguments; expected none");
                }
                return new Dict();
            }
            case REBUILD_PARAMETER -> {
                if (a.size() != 3 || !(a.get(0) instanceof TensorView)) {
                    throw damaged("_rebuild_parameter at byte " + at + " takes (tensor, requires_grad, hooks), got "
                            + describe(args));
                }
                return a.get(0);
            }
            case REBUILD_TENSOR -> {
                // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() != 6 && a.size() != 7) {
                    throw damaged("_rebuild_tensor_v2 at byte " + at + " takes 6 or 7 arguments, got " + a.size());
                }
                if (!(a.get(0) instanceof StorageRef storage)) {
                    throw damaged("_rebuild_tensor_v2 at byte " + at + ": the storage is " + describe(a.get(0)));
                }
                long offset = integer(a.get(1), "storage_offset", at);
                long[] shape = integers(a.get(2), "size", at);
                long[] stride = integers(a.get(3), "stride", at);
                if (shape.length != stride.length) {
                    throw damaged("_rebuild_tensor_v2 at byte " + at + ": size " + io.github.rnn4j.internal.Checks.dims(shape)
                            + " and stride " + io.github.rnn4j.internal.Checks.dims(stride) + " differ in length");
                }
                return new TensorView(storage, offset, shape, stride);
            }
            default -> throw new UnsupportedFeatureException(source + ": REDUCE at byte " + at + " calls " + g.name()
                    + ", which is not a callable rnn4j allows; " + ADVICE);
        }
    }

    private void build(Object target, Object state, int at) throws FileFormatException {
        // torch sets OrderedDict._metadata (a dict of versions) on a state dict; it is ignored here.
        if (!(target instanceof Dict) || !(state instanceof Dict)) {
            throw new UnsupportedFeatureException(source + ": BUILD at byte " + at + " sets the state of "
                    + describe(target) + " to " + describe(state) + "; only a state dict's _metadata is accepted; "
                    + ADVICE);
        }
    }

    private StorageRef persistentLoad(Object pid, int at) throws FileFormatException {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw damaged("persistent id at byte " + at + " is " + describe(pid)
                    + ", expected ('storage', StorageType, key, location, numel)");
        }
        List<Object> a = t.items();
        if (!(a.get(1) instanceof Global g) || !STORAGES.containsKey(g.name())) {
            throw damaged("persistent id at byte " + at + " names the storage type " + describe(a.get(1)));
        }
        if (!(a.get(2) instanceof String key) || !(a.get(3) instanceof String)) {
            throw damaged("persistent id at byte " + at + ": key and location must be strings, got " + describe(pid));
        }
        long numel = integer(a.get(4), "numel", at);
        return new StorageRef(key, STORAGES.get(g.name()), g.name(), numel);
    }

    private long integer(Object v, String what, int at) throws FileFormatException {
        if (!(v instanceof Long n) || n < 0) {
            throw damaged("_rebuild_tensor_v2 at byte " + at + ": " + what + " is " + describe(v)
                    + ", expected an integer >= 0");
        }
        return n;
    }

    private long[] integers(Object v, String what, int at) throws FileFormatException {
        if (!(v instanceof Tuple t)) {
            throw damaged("_rebuild_tensor_v2 at byte " + at + ": " + what + " is " + describe(v)
                    + ", expected a tuple of integers");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.items().get(i), what + "[" + i + "]", at);
        }
        return out;
    }

    // ---------------------------------------------------------------- stack and bytes

    private void push(Object v) {
        stack.add(v);
    }

    private Object pop() throws FileFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw damaged("stack underflow at byte " + (pos - 1));
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws FileFormatException {
        if (stack.isEmpty()) {
            throw damaged("stack underflow at byte " + (pos - 1));
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws FileFormatException {
        if (marks.isEmpty()) {
            throw damaged("no MARK before the opcode at byte " + (pos - 1));
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Tuple tuple(int n) throws FileFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new Tuple(Arrays.asList(items));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object v, int at) throws FileFormatException {
        if (!(v instanceof ArrayList<?>)) {
            throw damaged("APPEND at byte " + at + " on " + describe(v));
        }
        return (List<Object>) v;
    }

    private Dict dict(Object v, int at) throws FileFormatException {
        if (!(v instanceof Dict d)) {
            throw damaged("SETITEM at byte " + at + " on " + describe(v));
        }
        return d;
    }

    /** A dict key: only plain values, so that no key can hash a container that holds itself. */
    private Object key(Object k, int at) throws FileFormatException {
        if (k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double) {
            return k;
        }
        throw damaged("a dict key at byte " + at + " is " + describe(k) + "; a state dict's keys are strings");
    }

    private Object memoGet(long index, int at) throws FileFormatException {
        Object v = memo.get(index);
        if (v == null) {
            throw damaged("memo entry " + index + " read at byte " + at + " was never stored");
        }
        return v;
    }

    private int u8() throws FileFormatException {
        if (pos >= pickle.length) {
            throw damaged("truncated at byte " + pos);
        }
        return pickle[pos++] & 0xFF;
    }

    private long u32(int at) throws FileFormatException {
        long v = u8() | (long) u8() << 8 | (long) u8() << 16 | (long) u8() << 24;
        if (v > pickle.length) {
            throw damaged("the opcode at byte " + at + " declares " + v + " bytes, more than the pickle holds");
        }
        return v;
    }

    private long u64() throws FileFormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    private long beLong() throws FileFormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | u8();
        }
        return v;
    }

    private Object long1(int at) throws FileFormatException {
        int n = u8();
        if (n > 8) {
            throw new UnsupportedFeatureException(source + ": LONG1 at byte " + at + " has " + n
                    + " bytes; integers beyond 64 bits are not part of a state dict");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        if (n > 0 && n < 8 && (v >>> (8 * n - 1) & 1) != 0) {
            v |= -1L << (8 * n); // sign-extend
        }
        return v;
    }

    private String line() throws FileFormatException {
        int start = pos;
        while (pos < pickle.length && pickle[pos] != '\n') {
            pos++;
        }
        if (pos >= pickle.length) {
            throw damaged("truncated GLOBAL at byte " + start);
        }
        String s = new String(pickle, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }

    private String utf8(long length, int at) throws FileFormatException {
        if (length > pickle.length - pos) {
            throw damaged("the string at byte " + at + " declares " + length + " bytes, the pickle has "
                    + (pickle.length - pos) + " left");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(pickle, pos, (int) length)).toString();
            pos += (int) length;
            return s;
        } catch (CharacterCodingException e) {
            throw damaged("the string at byte " + at + " is not valid UTF-8");
        }
    }

    private FileFormatException damaged(String finding) {
        return new FileFormatException(source + ": damaged pickle: " + finding);
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "the string '" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        if (v instanceof Global g) {
            return "the global " + g.name();
        }
        if (v instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (v instanceof Dict) {
            return "a dict";
        }
        if (v instanceof TensorView) {
            return "a tensor";
        }
        if (v instanceof StorageRef) {
            return "a storage";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v == null ? "nothing" : v instanceof Long || v instanceof Double || v instanceof Boolean
                ? "the value " + v : String.valueOf(v);
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'c' -> "GLOBAL";
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 'S' -> "STRING";
            case 'V' -> "UNICODE";
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 'F' -> "FLOAT";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'T', 'U' -> "BINSTRING";
            case 'B', 'C', 0x8e, 0x96, 0x97, 0x98 -> "BYTES";
            default -> null;
        };
        String hex = String.format("0x%02x", op);
        return name == null ? hex : name + " (" + hex + ")";
    }
}
