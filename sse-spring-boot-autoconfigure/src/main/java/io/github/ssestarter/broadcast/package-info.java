/**
 * Topics, fan-out to subscribers, and the bounded replay buffer; knows nothing of servlets.
 */
@NullMarked
package io.github.ssestarter.broadcast;

import org.jspecify.annotations.NullMarked;
