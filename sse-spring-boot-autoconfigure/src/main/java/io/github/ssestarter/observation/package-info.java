/**
 * Micrometer Observations of publishing, of each instance's delivery of an event, and of each
 * stream's life: their contexts, conventions and documented names.
 *
 * <p>For applications that change what is observed: a bean of one of the convention types replaces
 * the default, which it may extend; the contexts are what a convention or handler reads.
 */
@NullMarked
package io.github.ssestarter.observation;

import org.jspecify.annotations.NullMarked;
