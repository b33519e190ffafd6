package io.github.ssestarter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@code String} controller method parameter to the id of the last event the client saw:
 * the {@code Last-Event-ID} request header that browsers send on reconnect, or the
 * {@code lastEventId} query parameter when the header is absent (for clients that cannot set
 * headers). The value is {@code null} when the client sent neither.
 *
 * <p>An id longer than {@code sse.max-last-event-id-length} characters, or one that contains
 * control characters, is refused with {@code 400 Bad Request} before the stream starts.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LastEventId {

}
