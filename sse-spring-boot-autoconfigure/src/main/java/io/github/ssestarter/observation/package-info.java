/**
 * Micrometer Observations of publishing, of each instance's delivery of an event, and of each
 * stream's life: their contexts, conventions and documented names.
 */
@NullMarked
package io.github.ssestarter.observation;

import org.jspecify.annotations.NullMarked;
