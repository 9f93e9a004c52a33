package io.github.rnn4j.io;

import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.model.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An attribute: its name, type, dimensions and raw value bytes, read as strings (fixed- or variable-length) or as
 * numbers.
 *
 * <p>Implements section IV.A.2.m of the HDF5 File Format Specification version 3.0 ("The Attribute Message",
 * versions 1-3) for attributes stored in the object header; variable-length strings are read from the global heap
 * (III.E). Shared datatypes or dataspaces and dense attribute storage (an attribute info message, IV.A.2.v, with a
 * fractal heap) are refused as unsupported.
 */
final class Hdf5Attribute {
    private final Hdf5File file;
    private final Hdf5File.Node owner;
    final String name;
    final Hdf5Datatype type;
    final long[] dims;
    private final Hdf5Buffer data;

    private Hdf5Attribute(Hdf5File file, Hdf5File.Node owner, String name, Hdf5Datatype type, long[] dims,
                          Hdf5Buffer data) {
        this.file = file;
        this.owner = owner;
        this.name = name;
        this.type = type;
        this.dims = dims;
        this.data = data;
    }

    /**
     * The attributes of {@code owner}, by name in storage order.
     *
     * @throws UnsupportedFeatureException when the attributes are in dense storage
     */
    static Map<String, Hdf5Attribute> readAll(Hdf5File file, Hdf5File.Node owner, Hdf5ObjectHeader header)
            throws IOException {
        Map<String, Hdf5Attribute> out = new LinkedHashMap<>();
        for (Hdf5ObjectHeader.Message m : header.messages()) {
            if (m.type == 0x0C) {
                Hdf5Attribute a = read(file, owner, m);
                out.put(a.name, a);
            } else if (m.type == 0x15) {
                Hdf5Buffer b = m.data.duplicate();
                b.skip(1);
                int flags = b.u8();
                if ((flags & 1) != 0) {
                    b.skip(2);
                }
                if (b.offset() != Hdf5File.UNDEFINED) {
                    throw file.unsupported("dense attribute storage (a fractal heap) on '" + owner.path() + "'");
                }
            }
        }
        return out;
    }

    private static Hdf5Attribute read(Hdf5File file, Hdf5File.Node owner, Hdf5ObjectHeader.Message m)
            throws IOException {
        String path = owner.path();
        Hdf5Buffer b = m.data.duplicate();
        int version = b.u8();
        int flags = b.u8();
        int nameSize = b.u16();
        int typeSize = b.u16();
        int spaceSize = b.u16();
        if (version < 1 || version > 3) {
            throw file.damaged("attribute message version " + version + " on '" + path + "'");
        }
        if (version == 3) {
            b.skip(1);
        }
        int pad = version == 1 ? 8 : 1;
        String name = b.slice(Hdf5Buffer.padded(nameSize, pad)).cString();
        if ((flags & 3) != 0 && version > 1) {
            throw file.unsupported("the shared datatype or dataspace of attribute '" + name + "' on '" + path + "'");
        }
        Hdf5Datatype type = Hdf5Datatype.parse(b.slice(Hdf5Buffer.padded(typeSize, pad)), file);
        long[] dims = Hdf5Dataspace.read(file, b.slice(Hdf5Buffer.padded(spaceSize, pad)));
        return new Hdf5Attribute(file, owner, name, type, dims, b.slice(b.remaining()));
    }

    private String what() {
        return "attribute '" + name + "' of '" + owner.path() + "'";
    }

    /**
     * The attribute's values as strings: one for a scalar, one per element for an array, none for an empty
     * array of any type.
     *
     * @throws FileFormatException when the attribute is not a string or its data is damaged
     */
    List<String> strings() throws IOException {
        int n = Hdf5Dataspace.count(file, Hdf5Dataspace.shape(file, dims, what()));
        if (n == 0) {
            return List.of(); // Keras writes the weight_names of a layer without weights as an empty float array
        }
        if (!type.isString()) {
            throw new FileFormatException(file.source() + ": " + what() + " is a " + type.describe()
                    + ", expected a string");
        }
        Hdf5Buffer b = data.duplicate();
        List<String> out = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            if (type.typeClass == Hdf5Datatype.STRING) {
                byte[] raw = b.bytes(type.size);
                int end = raw.length;
                if (type.padding == 2) {
                    while (end > 0 && raw[end - 1] == ' ') {
                        end--;
                    }
                } else {
                    end = 0;
                    while (end < raw.length && raw[end] != 0) {
                        end++;
                    }
                }
                out.add(new String(raw, 0, end, StandardCharsets.UTF_8));
            } else {
                long length = b.u32();
                long heap = b.offset();
                int index = (int) b.u32();
                if (heap == Hdf5File.UNDEFINED || length == 0) {
                    out.add("");
                    continue;
                }
                byte[] raw = file.globalHeapObject(heap, index);
                long bytes = length * type.base.size;
                if (bytes > raw.length) {
                    throw file.damaged(what() + " element " + i + " claims " + bytes + " bytes, its heap object has "
                            + raw.length);
                }
                int end = (int) bytes;
                while (end > 0 && raw[end - 1] == 0) {
                    end--;
                }
                out.add(new String(raw, 0, end, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The single string of a scalar or one-element string attribute. */
    String string() throws IOException {
        List<String> s = strings();
        if (s.size() != 1) {
            throw new FileFormatException(file.source() + ": " + what() + " has " + s.size()
                    + " strings, expected one");
        }
        return s.get(0);
    }

    /** The values of a numeric attribute. */
    Tensor tensor() throws IOException {
        ElementType element = type.element(what());
        int[] shape = Hdf5Dataspace.shape(file, dims, what());
        int count = Hdf5Dataspace.count(file, shape);
        if (data.remaining() < (long) count * type.size) {
            throw file.damaged(what() + " has " + data.remaining() + " bytes of data, its shape "
                    + io.github.rnn4j.internal.Checks.dims(shape) + " needs " + (long) count * type.size);
        }
        double[] out = new double[count];
        type.decode(file, data.duplicate(), element, out, 0, out.length, what());
        return Handover.tensors().owning(shape, out);
    }
}
