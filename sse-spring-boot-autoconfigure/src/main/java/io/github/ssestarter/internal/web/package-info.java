/**
 * Event streams on either web stack, without the stack: which controller methods are event
 * streams and with which settings, admitting and registering streams (limits, threads, the open
 * set, observations), each stream's connection with its heartbeat and lifetime, and the pumps that
 * feed a controller's {@code Stream} or {@code Flux} to a connection or into a resumable stream.
 * Each web stack supplies the response a connection writes to ({@code ResponseChannel}).
 *
 * <p>Internal: not API. Its types are public only so that the starter's other packages can reach
 * them; applications must not use them, and they may change in any release without notice.
 */
@NullMarked
package io.github.ssestarter.internal.web;

import org.jspecify.annotations.NullMarked;
