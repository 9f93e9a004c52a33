/**
 * Internal kernels and argument checks shared by the public packages, and {@link io.github.rnn4j.internal.Handover},
 * the loaders' access to the layer and tensor factories that take ownership of weight arrays; not exported by the
 * module.
 *
 * <p>Out of scope: anything a user calls directly. Kernels trust their callers; checks live at the public
 * entry points.
 */
package io.github.rnn4j.internal;
