package io.github.rnn4j.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Keras layer's weights are in a file, in the two layouts Keras writes.
 *
 * <ul>
 *   <li>Legacy HDF5 ({@code model.save("m.h5")}, {@code save_weights("w.h5")}; keras/src/legacy/saving/
 *       legacy_h5_format.py): group {@code <layer name>} with the attribute {@code weight_names} listing the weights in
 *       {@code get_weights()} order. A nested model's layers share their model's list, in layer order.</li>
 *   <li>Keras 3 ({@code model.weights.h5} in a {@code .keras} zip, or {@code .weights.h5}; keras/src/saving/
 *       saving_lib.py): group {@code layers/<key>/vars/<i>}, where {@code <key>} is the snake_case class name with
 *       {@code _1}, {@code _2}... for repeats; a recurrent cell's under {@code cell/}, Bidirectional's under
 *       {@code forward_layer/} and {@code backward_layer/}, a wrapper's under {@code layer/}, a nested model's under
 *       {@code layers/}.</li>
 * </ul>
 */
final class KerasWeights {
    private KerasWeights() {
    }

    /** The weights of one layer (or a part of it). */
    interface Scope {
        /** Reads the next {@code count} weights; the message of any error names {@code layer}. */
        List<KerasWeight> take(int count, KerasLayer layer) throws IOException;

        /** The scope of a part: Keras 3 keeps it in a subgroup; the legacy layout in the same list. */
        Scope child(String path);

        /** How many weights are left to take, or -1 when the layout does not say. */
        default int remaining() {
            return -1;
        }
    }

    /** A scope for a layer without weights: asking for any is an error. */
    static final Scope NONE = new Scope() {
        @Override
        public List<KerasWeight> take(int count, KerasLayer layer) throws IOException {
            if (count > 0) {
                throw layer.damaged("the file has no weights for this layer, expected " + count);
            }
            return List.of();
        }

        @Override
        public Scope child(String path) {
            return this;
        }
    };

    /** The legacy layout: a cursor over one group's {@code weight_names}. */
    static final class Legacy implements Scope {
        private final Hdf5File.Node group;
        private final List<String> names;
        private int next;

        Legacy(Hdf5File.Node group, List<String> names) {
            this.group = group;
            this.names = names;
        }

        @Override
        public List<KerasWeight> take(int count, KerasLayer layer) throws IOException {
            if (next + count > names.size()) {
                throw layer.damaged("group '" + group.path() + "' lists " + names.size() + " weights " + names
                        + ", fewer than the layer needs (" + (next + count) + ")");
            }
            List<KerasWeight> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String w = names.get(next++);
                Hdf5File.Node n = group;
                for (String part : w.split("/")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    if (!n.hasChild(part)) {
                        throw layer.damaged("weight '" + w + "' is missing (no '" + part + "' in '" + n.path()
                                + "')");
                    }
                    n = n.child(part);
                }
                out.add(KerasWeight.stored(n));
            }
            return out;
        }

        @Override
        public Scope child(String path) {
            return this;
        }

        @Override
        public int remaining() {
            return names.size() - next;
        }

        /** Checks that every listed weight was used. */
        void finish(KerasLayer layer) throws FileFormatException {
            if (next != names.size()) {
                throw layer.damaged("group '" + group.path() + "' lists " + names.size() + " weights " + names
                        + ", the layer uses " + next);
            }
        }
    }

    /** The Keras 3 layout: {@code vars/0..n-1} under a group (absent for a layer without weights). */
    static final class Keras3 implements Scope {
        private final Hdf5File.Node group;
        private final String path;

        Keras3(Hdf5File.Node group, String path) {
            this.group = group;
            this.path = path;
        }

        @Override
        public List<KerasWeight> take(int count, KerasLayer layer) throws IOException {
            Hdf5File.Node vars = group != null && group.hasChild("vars") ? group.child("vars") : null;
            int stored = vars == null ? 0 : vars.children().size();
            if (stored != count) {
                throw layer.damaged("'" + path + "/vars' holds " + stored + " weights, expected " + count);
            }
            List<KerasWeight> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String key = Integer.toString(i);
                if (!vars.hasChild(key)) {
                    throw layer.damaged("weight '" + path + "/vars/" + key + "' is missing");
                }
                out.add(KerasWeight.stored(vars.child(key)));
            }
            return out;
        }

        @Override
        public Scope child(String sub) {
            try {
                Hdf5File.Node g = group != null && group.hasChild(sub) ? group.child(sub) : null;
                return new Keras3(g, path + "/" + sub);
            } catch (IOException e) {
                return new Failed(e);
            }
        }
    }

    /** A scope whose group could not be read: reports the error when asked for weights. */
    private static final class Failed implements Scope {
        private final IOException error;

        Failed(IOException error) {
            this.error = error;
        }

        @Override
        public List<KerasWeight> take(int count, KerasLayer layer) throws IOException {
            throw error;
        }

        @Override
        public Scope child(String path) {
            return this;
        }
    }
}
